package dev.conlab.bench;

/**
 * One measured iteration. Every figure the JVM or OS cannot give is null, never 0.
 *
 * @param wallNanos              elapsed time of the model's execution
 * @param cpuNanos               process CPU time (all threads; plus the children's for {@code processes})
 * @param allocBytes             bytes allocated (see the cell's metricSources: exact or a lower bound)
 * @param gcCount                collections during the iteration
 * @param gcNanos                collection time (millisecond resolution)
 * @param peakThreads            peak live platform threads
 * @param ctxSwitchesVoluntary   voluntary context switches
 * @param ctxSwitchesInvoluntary involuntary context switches
 * @param fork                   which of the cell's fresh worker JVMs measured it (0, 1, …); null in documents from
 *                               before forks were recorded
 * @param rssBeforeBytes         the worker's resident memory (VmRSS) when the iteration started
 * @param peakRssBytes           its peak resident memory during the iteration (VmHWM, reset before the iteration where
 *                               the kernel allows it — see metricSources.peakRss)
 * @param heapAfterBytes         heap in use right after the iteration (no collection forced)
 * @param latencyP50Nanos        per-task latency, from the iteration's start (when every task is submitted) to the task's
 *                               completion: median; waiting workloads only (HdrHistogram, 3 significant digits)
 * @param latencyP99Nanos        its 99th percentile
 * @param latencyMaxNanos        its maximum
 * @param pinnedCount            virtual threads pinned to their carrier during the iteration (JFR jdk.VirtualThreadPinned,
 *                               threshold 0; JDK 21+, virtual-thread cells only)
 * @param pinnedNanos            their total pinned time
 * @param score                  an imported JMH iteration's result in its benchmark's unit ({@link JmhCell#unit()}), which the
 *                               statistics use instead of {@code wallNanos} (then 0); null (and absent from the JSON) in the
 *                               lab's own samples
 */
public record Sample(long wallNanos, Long cpuNanos, Long allocBytes, Long gcCount, Long gcNanos, Long peakThreads,
                     Long ctxSwitchesVoluntary, Long ctxSwitchesInvoluntary, Integer fork, Long rssBeforeBytes, Long peakRssBytes,
                     Long heapAfterBytes, Long latencyP50Nanos, Long latencyP99Nanos, Long latencyMaxNanos, Long pinnedCount,
                     Long pinnedNanos, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Double score) {

    /** A sample of the lab's own (no JMH score). */
    public Sample(long wallNanos, Long cpuNanos, Long allocBytes, Long gcCount, Long gcNanos, Long peakThreads,
                  Long ctxSwitchesVoluntary, Long ctxSwitchesInvoluntary, Integer fork, Long rssBeforeBytes, Long peakRssBytes,
                  Long heapAfterBytes, Long latencyP50Nanos, Long latencyP99Nanos, Long latencyMaxNanos, Long pinnedCount,
                  Long pinnedNanos) {
        this(wallNanos, cpuNanos, allocBytes, gcCount, gcNanos, peakThreads, ctxSwitchesVoluntary, ctxSwitchesInvoluntary, fork,
                rssBeforeBytes, peakRssBytes, heapAfterBytes, latencyP50Nanos, latencyP99Nanos, latencyMaxNanos, pinnedCount, pinnedNanos, null);
    }

    /** One iteration of an imported JMH benchmark: its result in the benchmark's unit, in fork {@code fork}. */
    public static Sample jmh(double score, int fork) {
        return new Sample(0, null, null, null, null, null, null, null, fork, null, null, null, null, null, null, null, null, score);
    }

    /** What the statistics are computed from: a JMH score in its unit, else the wall time in nanoseconds. */
    public double value() {
        return score != null ? score : wallNanos;
    }

    /** A sample whose fork is not (yet) known: the worker's, before its supervisor numbers it. */
    public Sample(long wallNanos, Long cpuNanos, Long allocBytes, Long gcCount, Long gcNanos, Long peakThreads,
                  Long ctxSwitchesVoluntary, Long ctxSwitchesInvoluntary) {
        this(wallNanos, cpuNanos, allocBytes, gcCount, gcNanos, peakThreads, ctxSwitchesVoluntary, ctxSwitchesInvoluntary, null);
    }

    /** A sample without the per-task figures. */
    public Sample(long wallNanos, Long cpuNanos, Long allocBytes, Long gcCount, Long gcNanos, Long peakThreads,
                  Long ctxSwitchesVoluntary, Long ctxSwitchesInvoluntary, Integer fork) {
        this(wallNanos, cpuNanos, allocBytes, gcCount, gcNanos, peakThreads, ctxSwitchesVoluntary, ctxSwitchesInvoluntary, fork,
                null, null, null, null, null, null, null, null);
    }

    public Sample withFork(int number) {
        return new Sample(wallNanos, cpuNanos, allocBytes, gcCount, gcNanos, peakThreads, ctxSwitchesVoluntary,
                ctxSwitchesInvoluntary, number, rssBeforeBytes, peakRssBytes, heapAfterBytes, latencyP50Nanos, latencyP99Nanos,
                latencyMaxNanos, pinnedCount, pinnedNanos, score);
    }
}
