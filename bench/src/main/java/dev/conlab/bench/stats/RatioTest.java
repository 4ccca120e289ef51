package dev.conlab.bench.stats;

/**
 * How a cell's times in one run compare with the same cell's in a baseline run: Welch's t-test on the
 * logarithms of the times, which holds with few samples and unequal variances, and whose difference of
 * means is the log of a ratio. So the result is the ratio of the geometric means (other ÷ baseline, below
 * 1 = faster) with its 95 % confidence interval, a two-sided p-value and a verdict at the 5 % level — never for a ratio
 * within ±{@link #NOISE} of 1.
 *
 * @param ratio   geometric mean of the other run's times ÷ the baseline's
 * @param ciLow   lower bound of the ratio's 95 % confidence interval (null with fewer than 2 samples on a side)
 * @param ciHigh  upper bound
 * @param p       two-sided p-value of Welch's t-test on log times (null when it cannot be computed)
 * @param df      Welch–Satterthwaite degrees of freedom
 * @param verdict {@link #FASTER}, {@link #SLOWER}, {@link #SAME} (no significant difference) or {@link #TOO_FEW}
 */
public record RatioTest(double ratio, Double ciLow, Double ciHigh, Double p, Double df, String verdict) {

    public static final String FASTER = "faster";
    public static final String SLOWER = "slower";
    public static final String SAME = "no significant difference";
    public static final String TOO_FEW = "too few samples";
    public static final double ALPHA = 0.05;
    /**
     * A ratio within ±1 % of 1 is never called faster or slower, however sure the test: two runs of one command on this
     * project's machine differed by 0.3 % at p = 0.002 (a 1 s sleep, 3 forks each, minutes apart) — a difference no fresh
     * JVM reproduces. criterion.rs calls the same a change "within the noise threshold" (its default is 1 % too).
     */
    public static final double NOISE = 0.01;

    /** The verdict of a test at {@link #ALPHA} on log times whose difference (other − baseline) is {@code logRatio}. */
    private static String verdict(double p, double logRatio) {
        if (p >= ALPHA || Math.abs(Math.exp(logRatio) - 1) < NOISE) return SAME;
        return logRatio < 0 ? FASTER : SLOWER;
    }

    /** @param baseline the baseline run's times (positive), @param other the compared run's times (positive) */
    public static RatioTest of(double[] baseline, double[] other) {
        return of(baseline, other, true);
    }

    /**
     * The ratio, p-value and verdict without the confidence interval (null): what the step detector asks of every split
     * of a history, where the interval's t quantile (found by bisection for Welch's fractional degrees of freedom)
     * cost more than the rest of the test (a profile of a server under uploads: a sixth of its CPU).
     */
    public static RatioTest withoutInterval(double[] baseline, double[] other) {
        return of(baseline, other, false);
    }

    private static RatioTest of(double[] baseline, double[] other, boolean interval) {
        if (baseline.length == 0 || other.length == 0) throw new IllegalArgumentException("both sides need samples");
        double[] x = logs(baseline);
        double[] y = logs(other);
        double mx = mean(x);
        double my = mean(y);
        double ratio = Math.exp(my - mx);
        if (x.length < 2 || y.length < 2) return new RatioTest(ratio, null, null, null, null, TOO_FEW);
        double vx = variance(x, mx) / x.length;
        double vy = variance(y, my) / y.length;
        double se = Math.sqrt(vx + vy);
        if (se == 0) {
            // no spread on either side: equal times are the same, different ones differ for certain (beyond the noise threshold)
            String verdict = verdict(my == mx ? 1.0 : 0.0, my - mx);
            return new RatioTest(ratio, ratio, ratio, my == mx ? 1.0 : 0.0, null, verdict);
        }
        double df = (vx + vy) * (vx + vy) / (vx * vx / (x.length - 1) + vy * vy / (y.length - 1));
        double t = (my - mx) / se;
        double p = 2 * (1 - StudentT.cdf(Math.abs(t), df));
        String verdict = verdict(p, my - mx);
        if (!interval) return new RatioTest(ratio, null, null, p, df, verdict);
        double half = StudentT.quantile(1 - ALPHA / 2, df) * se;
        return new RatioTest(ratio, Math.exp(my - mx - half), Math.exp(my - mx + half), p, df, verdict);
    }

    /**
     * A paired comparison of forks measured side by side: {@code baseline[i]} and {@code other[i]} are the same round's
     * figures (each the geometric mean of a fork's iterations), so the test is Student's t on the rounds' log-ratios with
     * n − 1 degrees of freedom. The machine's drift between rounds cancels out of each ratio, which Welch's test on two
     * independent groups cannot do.
     */
    public static RatioTest paired(double[] baseline, double[] other) {
        if (baseline.length != other.length) throw new IllegalArgumentException("paired figures come in pairs");
        if (baseline.length == 0) throw new IllegalArgumentException("no rounds");
        int n = baseline.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(baseline[i] > 0) || !(other[i] > 0)) throw new IllegalArgumentException("times must be positive");
            d[i] = Math.log(other[i]) - Math.log(baseline[i]);
        }
        double m = mean(d);
        double ratio = Math.exp(m);
        if (n < 2) return new RatioTest(ratio, null, null, null, null, TOO_FEW);
        double se = Math.sqrt(variance(d, m) / n);
        if (se == 0) {
            String verdict = verdict(m == 0 ? 1.0 : 0.0, m);
            return new RatioTest(ratio, ratio, ratio, m == 0 ? 1.0 : 0.0, (double) (n - 1), verdict);
        }
        double t = m / se;
        double p = 2 * (1 - StudentT.cdf(Math.abs(t), n - 1));
        String verdict = verdict(p, m);
        double half = StudentT.quantile(1 - ALPHA / 2, n - 1) * se;
        return new RatioTest(ratio, Math.exp(m - half), Math.exp(m + half), p, (double) (n - 1), verdict);
    }

    /**
     * Each round's figure of a cell measured in an interleaved sitting: the geometric mean of the iterations of the round's
     * clean fork (a round whose fork was disturbed and replaced counts its replacement); rounds without a clean fork are
     * absent. Empty for cells without rounds.
     */
    public static java.util.SortedMap<Integer, Double> roundMeans(dev.conlab.bench.CellResult cell) {
        var byRound = new java.util.TreeMap<Integer, Double>();
        if (cell == null || cell.forks() == null) return byRound;
        for (dev.conlab.bench.ForkRecord f : cell.forks()) {
            if (!f.clean() || f.round() == null) continue;
            double[] logs = cell.samples().stream().filter(s -> s.fork() != null && s.fork() == f.fork() && s.value() > 0)
                    .mapToDouble(s -> Math.log(s.value())).toArray();
            if (logs.length > 0) byRound.put(f.round(), Math.exp(java.util.Arrays.stream(logs).average().orElseThrow()));
        }
        return byRound;
    }

    /** T₁'s rounds as {@link #roundMeans} gives a cell's. */
    public static java.util.SortedMap<Integer, Double> oneThreadRounds(dev.conlab.bench.OneThread t1) {
        var byRound = new java.util.TreeMap<Integer, Double>();
        if (t1 != null && t1.rounds() != null) for (var r : t1.rounds()) byRound.put(r.round(), r.nanos());
        return byRound;
    }

    /** How many rounds a cell and T₁ have in common. */
    public static int pairedCount(dev.conlab.bench.CellResult cell, dev.conlab.bench.OneThread t1) {
        var common = new java.util.TreeSet<>(roundMeans(cell).keySet());
        common.retainAll(oneThreadRounds(t1).keySet());
        return common.size();
    }

    /** The paired test of two cells' common rounds, or null with fewer than two. */
    public static RatioTest pairedRounds(java.util.Map<Integer, Double> baseline, java.util.Map<Integer, Double> other) {
        var common = new java.util.TreeSet<>(baseline.keySet());
        common.retainAll(other.keySet());
        if (common.size() < 2) return null;
        return paired(common.stream().mapToDouble(baseline::get).toArray(), common.stream().mapToDouble(other::get).toArray());
    }

    /**
     * What a cell contributes to the test: with samples from 2 or more forks (fresh JVMs), one observation per fork —
     * its geometric mean — because iterations of one JVM are not independent of each other (they share its JIT
     * decisions); from one fork, every sample. Non-positive times are left out. An imported JMH benchmark's observations are
     * its scores (its raw data, in its unit).
     */
    public static double[] observations(java.util.List<dev.conlab.bench.Sample> samples) {
        var byFork = new java.util.TreeMap<Integer, java.util.List<Double>>();
        for (var s : samples) {
            if (s.value() > 0) byFork.computeIfAbsent(s.fork() == null ? -1 : s.fork(), k -> new java.util.ArrayList<>()).add(s.value());
        }
        if (byFork.size() < 2) return byFork.values().stream().flatMap(java.util.List::stream).mapToDouble(Double::doubleValue).toArray();
        return byFork.values().stream().mapToDouble(v -> Math.exp(v.stream().mapToDouble(Math::log).average().orElseThrow())).toArray();
    }

    private static double[] logs(double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] > 0)) throw new IllegalArgumentException("times must be positive, not " + values[i]);
            logs[i] = Math.log(values[i]);
        }
        return logs;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }

    private static double variance(double[] values, double mean) {
        double sum = 0;
        for (double v : values) sum += (v - mean) * (v - mean);
        return sum / (values.length - 1);
    }
}
