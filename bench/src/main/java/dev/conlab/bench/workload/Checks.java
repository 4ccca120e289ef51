package dev.conlab.bench.workload;

import dev.conlab.bench.WrongResultException;

import java.util.List;

/** Validation and ideal-time helpers the workloads share. */
final class Checks {

    private Checks() {
    }

    /** Every task returned its own index, once, in order. */
    static void indices(List<Object> results, int tasks) throws WrongResultException {
        WrongResultException.check(results.size() == tasks,
                "expected " + tasks + " results, got " + results.size());
        for (int i = 0; i < tasks; i++) {
            Object r = results.get(i);
            WrongResultException.check(r instanceof Integer v && v == i,
                    "task " + i + " returned " + r + " instead of its index");
        }
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static long millis(long ms) {
        return ms * 1_000_000L;
    }
}
