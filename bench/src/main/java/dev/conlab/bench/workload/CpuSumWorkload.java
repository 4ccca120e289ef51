package dev.conlab.bench.workload;

import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Scaling;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * W tasks, each sums M random ints in [1, 100]: the source articles' CPU case
 * ({@code sum(random.randint(1, 100) for _ in range(1_000_000))} in 8 workers). Each task seeds its own
 * generator from its index, so the sums are known and checked.
 */
public final class CpuSumWorkload implements Workload {

    private static final long SEED = 0x5eed_c0de_1abL;
    /** Expected sum per (count, task index): computed once per JVM, outside every timed region. */
    private static final Map<String, Long> EXPECTED = new ConcurrentHashMap<>();

    @Override
    public String id() {
        return "cpu-sum";
    }

    @Override
    public String summary() {
        return "W tasks, each sums M random ints in [1, 100] (the source articles' CPU case).";
    }

    @Override
    public int displayOrder() {
        return 30;
    }

    @Override
    public Scaling scaling(int processors) {
        return new Scaling(java.util.Map.of("count", "10000000"), "workers", "1.." + 4 * processors + "x2");
    }

    @Override
    public boolean cpuBound() {
        return true;
    }

    @Override
    public boolean idealUsesOneThreadTime() {
        return true;
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.integer("workers", "Number of tasks W", 8, 8, 8, 1, 100_000).as(Param.Role.WORK_AND_CONCURRENCY),
                Param.integer("count", "Random ints summed by each task, M", 200_000, 50_000_000, 1_000_000, 1, 2_000_000_000));
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) {
        return new Instance(params.intValue("workers"), params.longValue("count"));
    }

    static long sum(int task, long count) {
        SplittableRandom random = new SplittableRandom(SEED + task);
        long sum = 0;
        for (long j = 0; j < count; j++) sum += random.nextInt(1, 101);
        return sum;
    }

    private record Instance(int workers, long count) implements WorkloadInstance {

        @Override
        public int taskCount() {
            return workers;
        }

        @Override
        public Object runTask(int i) {
            return sum(i, count);
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            WrongResultException.check(results.size() == workers, "expected " + workers + " sums, got " + results.size());
            for (int i = 0; i < workers; i++) {
                int task = i;
                long expected = EXPECTED.computeIfAbsent(count + ":" + i, k -> sum(task, count));
                WrongResultException.check(results.get(i) instanceof Long v && v == expected,
                        "task " + i + " summed " + results.get(i) + ", expected " + expected);
            }
        }

        @Override
        public long idealNanos(IdealContext context) {
            return context.oneThreadNanos().getAsLong() / Math.min(workers, context.processors());
        }

        @Override
        public String idealFormula() {
            return "T₁ ÷ min(workers, P)";
        }
    }
}
