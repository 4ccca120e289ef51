package dev.conlab.bench.workload;

import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Model;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Scaling;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** T tasks share I increments of one counter: {@code synchronized} against {@code AtomicLong} against {@code LongAdder}. */
public final class ContendedCounterWorkload implements Workload {

    @Override
    public String id() {
        return "contended-counter";
    }

    @Override
    public String summary() {
        return "T tasks share I increments of one counter (synchronized, AtomicLong or LongAdder).";
    }

    @Override
    public int displayOrder() {
        return 110;
    }

    @Override
    public Scaling scaling(int processors) {
        return new Scaling(java.util.Map.of(), "tasks", "1.." + 4 * processors + "x2");
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
                Param.integer("tasks", "Number of tasks T", 4, 4, 4, 1, 10_000).as(Param.Role.CONCURRENCY),
                Param.integer("increments", "Increments in all, I (split evenly)", 1_000_000, 100_000_000, 10_000_000, 1, 10_000_000_000L),
                Param.choice("counter", "How the counter is shared", "atomic", List.of("atomic", "synchronized", "adder")));
    }

    @Override
    public String incompatibility(Model model, Params params, int concurrency) {
        return model.separateMemory() ? "tasks share one in-memory counter; tasks in separate JVMs cannot" : null;
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) {
        return new Instance(params.intValue("tasks"), params.longValue("increments"), params.string("counter"));
    }

    private static final class Instance implements WorkloadInstance {
        private final int tasks;
        private final long increments;
        private final String counter;
        private final AtomicLong atomic = new AtomicLong();
        private final LongAdder adder = new LongAdder();
        private final Object lock = new Object();
        private long locked;

        Instance(int tasks, long increments, String counter) {
            this.tasks = tasks;
            this.increments = increments;
            this.counter = counter;
        }

        @Override
        public int taskCount() {
            return tasks;
        }

        @Override
        public void reset() {
            atomic.set(0);
            adder.reset();
            synchronized (lock) {
                locked = 0;
            }
        }

        @Override
        public Object runTask(int i) {
            long share = increments / tasks + (i < increments % tasks ? 1 : 0);
            switch (counter) {
                case "atomic" -> {
                    for (long j = 0; j < share; j++) atomic.incrementAndGet();
                }
                case "adder" -> {
                    for (long j = 0; j < share; j++) adder.increment();
                }
                default -> {
                    for (long j = 0; j < share; j++) {
                        synchronized (lock) {
                            locked++;
                        }
                    }
                }
            }
            return i;
        }

        long value() {
            return switch (counter) {
                case "atomic" -> atomic.get();
                case "adder" -> adder.sum();
                default -> {
                    synchronized (lock) {
                        yield locked;
                    }
                }
            };
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            Checks.indices(results, tasks);
            WrongResultException.check(value() == increments, "counter is " + value() + ", expected " + increments);
        }

        @Override
        public void runOneThread() {
            reset();
            for (int i = 0; i < tasks; i++) runTask(i);
            reset();
        }

        @Override
        public long idealNanos(IdealContext context) {
            return context.oneThreadNanos().getAsLong();
        }

        @Override
        public String idealFormula() {
            return "T₁ (one counter: contention allows no speed-up)";
        }
    }
}
