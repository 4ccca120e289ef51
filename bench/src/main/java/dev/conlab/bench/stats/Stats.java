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
        if (n < 2) return new Summary(n, median, mean, null, null, null, null, sorted[0], sorted[n - 1], 1, Summary.FROM_ITERATIONS);
        double stdev = stdev(sorted, mean);
        double half = StudentT.quantile(1 - (1 - CONFIDENCE) / 2, n - 1) * stdev / Math.sqrt(n);
        return new Summary(n, median, mean, stdev, mean - half, mean + half, mean == 0 ? null : stdev / mean,
                sorted[0], sorted[n - 1], 1, Summary.FROM_ITERATIONS);
    }

    private static double stdev(double[] values, double mean) {
        double squares = 0;
        for (double v : values) squares += (v - mean) * (v - mean);
        return Math.sqrt(squares / (values.length - 1));
    }

    /**
     * Statistics of samples measured in several forks (fresh JVMs): the median and the spread of all samples, and the
     * interval from the forks' means — the mean of the fork means ± t(F − 1) × their standard deviation ÷ √F — because
     * JIT decisions differ from one JVM to the next and the iterations of one JVM do not show it (JMH's reason for
     * forks). With fewer than 2 forks, the iterations' interval.
     *
     * @param forks each sample's fork (null entries count as one fork)
     */
    public static Summary summarize(double[] values, Integer[] forks) {
        var byFork = new java.util.TreeMap<Integer, java.util.List<Double>>();
        for (int i = 0; i < values.length; i++) byFork.computeIfAbsent(forks[i] == null ? -1 : forks[i], k -> new java.util.ArrayList<>()).add(values[i]);
        Summary all = summarize(values);
        if (byFork.size() < 2) return all;
        double[] means = byFork.values().stream().mapToDouble(v -> v.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).toArray();
        int f = means.length;
        double grand = 0;
        for (double m : means) grand += m;
        grand /= f;
        double half = StudentT.quantile(1 - (1 - CONFIDENCE) / 2, f - 1) * stdev(means, grand) / Math.sqrt(f);
        return new Summary(all.n(), all.median(), all.mean(), all.stdev(), grand - half, grand + half, all.cv(), all.min(), all.max(),
                f, "95 % CI of the mean of the " + f + " forks' means (Student's t, " + (f - 1) + " degrees of freedom)");
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
