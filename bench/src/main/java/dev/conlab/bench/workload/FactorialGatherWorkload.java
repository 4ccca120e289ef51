package dev.conlab.bench.workload;

import dev.conlab.bench.EventLoop;
import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * asyncio's {@code gather} example: task j computes n! for n = (j + 2) × scale in j + 1 steps, waiting
 * {@code waitMs} before each step. With 3 tasks, scale 1 and 1000 ms it is the documentation's example
 * exactly (factorial(2), (3), (4): 1 + 2 + 3 waits; gathered in 3 s). Uneven tasks show static splits
 * against work stealing.
 */
public final class FactorialGatherWorkload implements Workload {

    private static final Map<Integer, BigInteger> EXPECTED = new ConcurrentHashMap<>();

    @Override
    public String id() {
        return "factorial-gather";
    }

    @Override
    public String summary() {
        return "Uneven tasks computing n! in steps with a wait before each, gathered (asyncio's gather example).";
    }

    @Override
    public int displayOrder() {
        return 70;
    }

    @Override
    public boolean cpuBound() {
        return true;
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.integer("tasks", "Number of tasks; task j takes j + 1 steps", 3, 8, 3, 1, 1_000).as(Param.Role.WORK),
                Param.integer("waitMs", "Wait before each step, in ms", 5, 50, 1000, 0, 600_000),
                Param.integer("scale", "Task j computes ((j + 2) × scale)!", 200, 2000, 1, 1, 100_000));
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) {
        return new Instance(params.intValue("tasks"), params.longValue("waitMs"), params.intValue("scale"));
    }

    /** Multiplies the factors of step {@code step} of {@code steps} into {@code f}. */
    static BigInteger multiplyStep(BigInteger f, int n, int step, int steps) {
        int from = 2 + (int) ((long) (n - 1) * step / steps);
        int to = 2 + (int) ((long) (n - 1) * (step + 1) / steps);
        for (int k = from; k < to; k++) f = f.multiply(BigInteger.valueOf(k));
        return f;
    }

    private record Instance(int tasks, long waitMs, int scale) implements WorkloadInstance {

        int n(int task) {
            return (task + 2) * scale;
        }

        @Override
        public int taskCount() {
            return tasks;
        }

        @Override
        public Object runTask(int i) throws InterruptedException {
            BigInteger f = BigInteger.ONE;
            int steps = i + 1;
            for (int step = 0; step < steps; step++) {
                Thread.sleep(waitMs);
                f = multiplyStep(f, n(i), step, steps);
            }
            return f;
        }

        @Override
        public boolean nonBlockingAsync() {
            return true;
        }

        @Override
        public CompletableFuture<Object> runTaskAsync(int i, EventLoop loop) {
            return step(loop, i, 0, BigInteger.ONE);
        }

        private CompletableFuture<Object> step(EventLoop loop, int i, int step, BigInteger f) {
            return loop.delay(waitMs).thenCompose(v -> {
                BigInteger next = multiplyStep(f, n(i), step, i + 1);
                return step + 1 < i + 1 ? step(loop, i, step + 1, next) : CompletableFuture.completedFuture(next);
            });
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            WrongResultException.check(results.size() == tasks, "expected " + tasks + " factorials");
            for (int i = 0; i < tasks; i++) {
                int n = n(i);
                BigInteger expected = EXPECTED.computeIfAbsent(n, key -> {
                    BigInteger f = BigInteger.ONE;
                    for (int k = 2; k <= key; k++) f = f.multiply(BigInteger.valueOf(k));
                    return f;
                });
                WrongResultException.check(expected.equals(results.get(i)), "task " + i + " did not compute " + n + "!");
            }
        }

        @Override
        public long idealNanos(IdealContext context) {
            return Checks.millis(tasks * waitMs);
        }

        @Override
        public String idealFormula() {
            return "the longest task's waits (tasks × waitMs); compute not included, so a lower bound";
        }
    }
}
