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
import java.util.zip.CRC32;

/**
 * The Python runtime's crc-zlib on the JVM: W tasks, each a CRC-32 of one shared buffer of the same size, the same number
 * of passes, through {@link java.util.zip.CRC32} — zlib's CRC-32, which HotSpot replaces by its own intrinsic (so the
 * two runtimes do identical work by two implementations of one function). The buffer's bytes differ from the worker's
 * (a seeded generator of each runtime); a CRC's cost does not depend on them.
 */
public final class CrcZlibWorkload implements Workload {

    /** Expected checksum per (size, passes, task): computed once per JVM, outside every timed region. */
    private static final Map<String, Long> EXPECTED = new ConcurrentHashMap<>();

    @Override
    public String id() {
        return "crc-zlib";
    }

    @Override
    public String summary() {
        return "W tasks, each a CRC-32 of a shared buffer through java.util.zip.CRC32 (the Python worker's zlib.crc32 case).";
    }

    @Override
    public int displayOrder() {
        return 110;
    }

    @Override
    public Scaling scaling(int processors) {
        return new Scaling(Map.of(), "tasks", "1.." + 4 * processors + "x2");
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
                Param.integer("tasks", "Number of tasks W", 4, 8, 8, 1, 10_000).as(Param.Role.WORK_AND_CONCURRENCY),
                Param.integer("kib", "Buffer each task checksums, KiB", 1024, 8192, 8192, 1, 1_048_576),
                Param.integer("passes", "Times each task goes over the buffer", 1, 40, 40, 1, 100_000));
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) {
        byte[] buffer = new byte[params.intValue("kib") * 1024];
        new SplittableRandom(20261207L).nextBytes(buffer);
        return new Instance(params.intValue("tasks"), params.intValue("passes"), buffer);
    }

    static long crc(byte[] buffer, int task, int passes) {
        CRC32 crc = new CRC32();
        crc.update(task); // every task its own answer, as the worker's start value does
        for (int p = 0; p < passes; p++) crc.update(buffer, 0, buffer.length);
        return crc.getValue();
    }

    private record Instance(int tasks, int passes, byte[] buffer) implements WorkloadInstance {

        @Override
        public int taskCount() {
            return tasks;
        }

        @Override
        public Object runTask(int i) {
            return crc(buffer, i, passes);
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            WrongResultException.check(results.size() == tasks, "expected " + tasks + " checksums, got " + results.size());
            for (int i = 0; i < tasks; i++) {
                int task = i;
                long expected = EXPECTED.computeIfAbsent(buffer.length + ":" + passes + ":" + i, k -> crc(buffer, task, passes));
                WrongResultException.check(results.get(i) instanceof Long v && v == expected,
                        "task " + i + "'s CRC-32 is " + results.get(i) + ", expected " + expected);
            }
        }

        @Override
        public long idealNanos(IdealContext context) {
            return context.oneThreadNanos().getAsLong() / Math.min(tasks, context.processors());
        }

        @Override
        public String idealFormula() {
            return "T₁ ÷ min(tasks, P)";
        }
    }
}
