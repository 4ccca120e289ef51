package dev.conlab.bench.workload;

import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Scaling;
import dev.conlab.bench.TaskLatencies;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.util.List;

/**
 * N tasks that each block d ms inside their own {@code synchronized} block. Before JDK 24 (JEP 491) a
 * virtual thread that blocks while holding a monitor pins its carrier, so only P of them wait at once.
 */
public final class PinnedIoWorkload implements Workload {

    @Override
    public String id() {
        return "pinned-io";
    }

    @Override
    public String summary() {
        return "N tasks that each block d ms inside their own synchronized block (pins virtual threads before JDK 24).";
    }

    @Override
    public int displayOrder() {
        return 90;
    }

    @Override
    public Scaling scaling(int processors) {
        return new Scaling(java.util.Map.of("latencyMs", "100"), "tasks", "10..10000x10");
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.integer("tasks", "Number of tasks N", 10, 200, 200, 1, 1_000_000).as(Param.Role.WORK),
                Param.integer("latencyMs", "How long each task blocks while holding its monitor, in ms", 4, 10, 10, 0, 600_000));
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) {
        int tasks = params.intValue("tasks");
        Object[] monitors = new Object[tasks];
        for (int i = 0; i < tasks; i++) monitors[i] = new Object();
        return new Instance(monitors, params.longValue("latencyMs"), new TaskLatencies());
    }

    private record Instance(Object[] monitors, long latencyMs, TaskLatencies latencies) implements WorkloadInstance {

        @Override
        public int taskCount() {
            return monitors.length;
        }

        @Override
        public Object runTask(int i) throws InterruptedException {
            synchronized (monitors[i]) {
                Thread.sleep(latencyMs);
            }
            latencies.completed();
            return i;
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            Checks.indices(results, monitors.length);
        }

        @Override
        public long idealNanos(IdealContext context) {
            return Checks.ceilDiv(monitors.length, context.concurrency()) * Checks.millis(latencyMs);
        }

        @Override
        public String idealFormula() {
            return "ceil(tasks / k) × latencyMs";
        }
    }
}
