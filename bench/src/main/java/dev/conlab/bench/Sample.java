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
 */
public record Sample(long wallNanos, Long cpuNanos, Long allocBytes, Long gcCount, Long gcNanos, Long peakThreads,
                     Long ctxSwitchesVoluntary, Long ctxSwitchesInvoluntary, Integer fork, Long rssBeforeBytes, Long peakRssBytes,
                     Long heapAfterBytes, Long latencyP50Nanos, Long latencyP99Nanos, Long latencyMaxNanos, Long pinnedCount,
                     Long pinnedNanos) {

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
                latencyMaxNanos, pinnedCount, pinnedNanos);
    }
}
