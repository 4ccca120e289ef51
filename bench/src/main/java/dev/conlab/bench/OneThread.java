package dev.conlab.bench;

import java.util.Map;

/**
 * The one-thread time T₁ of a workload with its parameters, measured once per run and used by every cell of that
 * workload whose ideal needs it (CPU-bound ideals: T₁ ÷ min(tasks, P)). Measured the same way whatever models a run
 * selects: the baseline model's own code path ({@code sequential}) in its own fresh fork(s), with the run's warm-ups
 * and iterations — when the run has the baseline's cell, that cell is the measurement.
 *
 * @param nanos       T₁: the median of every sample of every fork
 * @param ciLowNanos  lower bound of its 95 % confidence interval (of the mean of the fork means with 2+ forks, else of
 *                    the iterations' mean); null with a single sample
 * @param ciHighNanos upper bound
 * @param forks       fresh JVMs that measured it
 * @param samples     measured iterations in all
 * @param method      how it was obtained, in words
 * @param rounds      in an interleaved sitting, T₁'s clean fork of each round as the geometric mean of its iterations, so
 *                    that a cell's speedup can be paired with it round by round; null otherwise (and absent from the JSON)
 * @param cpuShare    its process CPU time ÷ its wall time (medians of its clean samples): near 0 for work that waits, near
 *                    1 for work that computes on one thread — how the kind of a task of yours is learnt; null where the CPU
 *                    time was not measured (and absent from the JSON, as in documents before it)
 */
public record OneThread(String workload, Map<String, Object> params, long nanos, Double ciLowNanos, Double ciHighNanos, int forks,
                        int samples, String method,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                        java.util.List<RoundMean> rounds,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                        Double cpuShare) {

    public OneThread(String workload, Map<String, Object> params, long nanos, Double ciLowNanos, Double ciHighNanos, int forks,
                     int samples, String method) {
        this(workload, params, nanos, ciLowNanos, ciHighNanos, forks, samples, method, null, null);
    }

    public OneThread(String workload, Map<String, Object> params, long nanos, Double ciLowNanos, Double ciHighNanos, int forks,
                     int samples, String method, java.util.List<RoundMean> rounds) {
        this(workload, params, nanos, ciLowNanos, ciHighNanos, forks, samples, method, rounds, null);
    }

    /** One round's figure: the geometric mean of a clean fork's iterations, ns. */
    public record RoundMean(int round, double nanos) {
    }
}
