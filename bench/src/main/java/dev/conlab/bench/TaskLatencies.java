package dev.conlab.bench;

import org.HdrHistogram.ConcurrentHistogram;

/**
 * Per-task latency of one iteration: from the iteration's start — when the model is handed every task — to each task's
 * completion, recorded by the task itself into an HdrHistogram (made for this: constant memory, 3 significant digits,
 * concurrent recording) rather than kept and sorted. A waiting workload's instance owns one; the harness starts it
 * before each measured iteration and reads it after.
 */
public final class TaskLatencies {

    private final ConcurrentHistogram histogram = new ConcurrentHistogram(1, 3_600_000_000_000L, 3);
    private volatile long startNanos;
    private volatile boolean recording;

    /** Called by the harness just before the model gets the tasks. */
    public void start() {
        histogram.reset();
        startNanos = System.nanoTime();
        recording = true;
    }

    /** Called by a task as it completes (on whatever thread ran it). Outside a measured iteration it does nothing. */
    public void completed() {
        if (recording) histogram.recordValue(Math.max(1, Math.min(System.nanoTime() - startNanos, histogram.getHighestTrackableValue())));
    }

    /** Ends the iteration: {p50, p99, max} in nanoseconds, or null when no task recorded. */
    public long[] stop() {
        recording = false;
        if (histogram.getTotalCount() == 0) return null;
        return new long[] {histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99), histogram.getMaxValue()};
    }
}
