package dev.conlab.bench.workload;

import dev.conlab.bench.EventLoop;
import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Scaling;
import dev.conlab.bench.TaskLatencies;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** N tasks that each block d ms: the source articles' ten 1-second queries. */
public final class SleepIoWorkload implements Workload {

    @Override
    public String id() {
        return "sleep-io";
    }

    @Override
    public String summary() {
        return "N tasks that each block d ms in Thread.sleep (the source articles' ten 1-second queries).";
    }

    @Override
    public int displayOrder() {
        return 10;
    }

    @Override
    public Scaling scaling(int processors) {
        return new Scaling(java.util.Map.of("latencyMs", "1000"), "tasks", "1..100000x10");
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.integer("tasks", "Number of tasks N", 10, 100, 10, 1, 1_000_000).as(Param.Role.WORK),
                Param.integer("latencyMs", "How long each task blocks, in ms", 4, 10, 1000, 0, 600_000));
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) {
        return new Instance(params.intValue("tasks"), params.longValue("latencyMs"), new TaskLatencies());
    }

    private record Instance(int tasks, long latencyMs, TaskLatencies latencies) implements WorkloadInstance {

        @Override
        public int taskCount() {
            return tasks;
        }

        @Override
        public Object runTask(int i) throws InterruptedException {
            Thread.sleep(latencyMs);
            latencies.completed();
            return i;
        }

        @Override
        public boolean nonBlockingAsync() {
            return true;
        }

        @Override
        public CompletableFuture<Object> runTaskAsync(int i, EventLoop loop) {
            return loop.delay(latencyMs).thenApply(v -> {
                latencies.completed();
                return i;
            });
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            Checks.indices(results, tasks);
        }

        @Override
        public long idealNanos(IdealContext context) {
            return Checks.ceilDiv(tasks, context.concurrency()) * Checks.millis(latencyMs);
        }

        @Override
        public String idealFormula() {
            return "ceil(tasks / k) × latencyMs";
        }
    }
}
