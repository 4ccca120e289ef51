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
 */
public record Sample(long wallNanos, Long cpuNanos, Long allocBytes, Long gcCount, Long gcNanos, Long peakThreads,
                     Long ctxSwitchesVoluntary, Long ctxSwitchesInvoluntary, Integer fork) {

    /** A sample whose fork is not (yet) known: the worker's, before its supervisor numbers it. */
    public Sample(long wallNanos, Long cpuNanos, Long allocBytes, Long gcCount, Long gcNanos, Long peakThreads,
                  Long ctxSwitchesVoluntary, Long ctxSwitchesInvoluntary) {
        this(wallNanos, cpuNanos, allocBytes, gcCount, gcNanos, peakThreads, ctxSwitchesVoluntary, ctxSwitchesInvoluntary, null);
    }

    public Sample withFork(int number) {
        return new Sample(wallNanos, cpuNanos, allocBytes, gcCount, gcNanos, peakThreads, ctxSwitchesVoluntary,
                ctxSwitchesInvoluntary, number);
    }
}
