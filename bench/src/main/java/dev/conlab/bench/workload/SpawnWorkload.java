package dev.conlab.bench.workload;

import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Scaling;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.util.List;

/** Create, start and join N trivial tasks: what a task costs in each model. */
public final class SpawnWorkload implements Workload {

    @Override
    public String id() {
        return "spawn";
    }

    @Override
    public String summary() {
        return "Create, start and join N trivial tasks: the cost of a task in each model.";
    }

    @Override
    public int displayOrder() {
        return 100;
    }

    @Override
    public Scaling scaling(int processors) {
        return new Scaling(java.util.Map.of(), "tasks", "1000..1000000x10");
    }

    @Override
    public boolean cpuBound() {
        return true;
    }

    @Override
    public List<Param> params() {
        return List.of(Param.integer("tasks", "Number of trivial tasks N", 1_000, 10_000, 10_000, 1, 10_000_000).as(Param.Role.WORK));
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) {
        return new Instance(params.intValue("tasks"));
    }

    private record Instance(int tasks) implements WorkloadInstance {

        @Override
        public int taskCount() {
            return tasks;
        }

        @Override
        public Object runTask(int i) {
            return i;
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            Checks.indices(results, tasks);
        }

        @Override
        public long idealNanos(IdealContext context) {
            return -1;
        }

        @Override
        public String idealFormula() {
            return "none: the figure is the cost per task (median ÷ tasks)";
        }
    }
}
