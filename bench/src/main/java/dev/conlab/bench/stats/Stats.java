package dev.conlab.bench.stats;

import java.util.Arrays;

/** Statistics over samples, the same code on the CLI and the server. */
public final class Stats {

    public static final double CONFIDENCE = 0.95;

    private Stats() {
    }

    public static Summary summarize(double[] values) {
        if (values.length == 0) throw new IllegalArgumentException("no samples");
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double mean = 0;
        for (double v : sorted) mean += v;
        mean /= n;
        if (n < 2) return new Summary(n, median, mean, null, null, null, null, sorted[0], sorted[n - 1]);
        double squares = 0;
        for (double v : sorted) squares += (v - mean) * (v - mean);
        double stdev = Math.sqrt(squares / (n - 1));
        double half = StudentT.quantile(1 - (1 - CONFIDENCE) / 2, n - 1) * stdev / Math.sqrt(n);
        return new Summary(n, median, mean, stdev, mean - half, mean + half, mean == 0 ? null : stdev / mean,
                sorted[0], sorted[n - 1]);
    }

    public static Summary summarize(long[] values) {
        return summarize(Arrays.stream(values).asDoubleStream().toArray());
    }

    /** How many times faster than the baseline (sequential): baseline median ÷ this median. */
    public static Double speedup(Double baselineMedian, double median) {
        return baselineMedian == null || median <= 0 ? null : baselineMedian / median;
    }

    /** Ideal ÷ median: 1.0 means the physical limit was reached. */
    public static Double efficiency(Long idealNanos, double median) {
        return idealNanos == null || median <= 0 ? null : idealNanos / median;
    }
}
