package dev.conlab.bench.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds steps in a series of one cell's medians over time (nightly runs): at each point, the {@value #WINDOW} runs before
 * it against the (up to {@value #WINDOW}, at least {@value #MIN_AFTER}) runs from it on, with Welch's t-test on log times
 * ({@link RatioTest}, the test the comparisons use). A split is a step when the change is at least
 * {@value #MIN_CHANGE_PERCENT} % and p &lt; {@value #ALPHA} ÷ the number of splits; neighbouring splits that see the same step (they share runs)
 * are one step, placed where two levels fit that stretch of the series best (least squares on log times).
 *
 * <p>Why this and not a threshold on each new run: one slow night (another job on the machine, a noisy neighbour) is
 * not a regression, and a step is what a JDK update or a code change makes. Why not a z-score against a long lookback:
 * after a step the lookback mixes both levels. Windows of ten runs confirm a step once five runs show it; the
 * false-alarm rate of these settings is in docs/PERFORMANCE.md.
 */
public final class StepDetector {

    /** Runs on each side of a split. */
    public static final int WINDOW = 10;
    /** Runs after a split needed before it can be judged: a step is reported once it has lasted this long. */
    public static final int MIN_AFTER = 5;
    /** The smallest change reported, in percent. */
    public static final int MIN_CHANGE_PERCENT = 5;
    /**
     * The level for a whole series: each split is tested at {@code ALPHA ÷ splits} (Bonferroni), so that a series without a
     * step raises an alert by chance at most once in a hundred.
     */
    public static final double ALPHA = 0.01;

    /**
     * A step: {@code index} is the first point at the new level; {@code before} and {@code after} the geometric means
     * of the windows, {@code ratio} after ÷ before (above 1: slower for times), {@code p} the test's p-value.
     */
    public record Step(int index, double before, double after, double ratio, double p) {
    }

    private StepDetector() {
    }

    /** The steps of a series of positive values (times), in order. */
    public static List<Step> detect(double[] values) {
        var candidates = new ArrayList<Step>();
        int splits = Math.max(1, values.length - MIN_AFTER - WINDOW + 1);
        double alpha = ALPHA / splits;
        for (int split = WINDOW; split + MIN_AFTER <= values.length; split++) {
            double[] before = Arrays.copyOfRange(values, split - WINDOW, split);
            double[] after = Arrays.copyOfRange(values, split, Math.min(values.length, split + WINDOW));
            RatioTest test = RatioTest.withoutInterval(before, after);
            if (test.p() == null || test.p() >= alpha) continue;
            if (Math.abs(test.ratio() - 1) * 100 < MIN_CHANGE_PERCENT) continue;
            candidates.add(new Step(split, geometricMean(before), geometricMean(after), test.ratio(), test.p()));
        }
        // neighbouring candidates see the same step (their windows share runs): one step per group, placed where two
        // levels fit the group's stretch of the series best (least squares on log times), which finds the run where the
        // level changed more surely than the single best window does
        var steps = new ArrayList<Step>();
        int start = 0;
        for (int i = 1; i <= candidates.size(); i++) {
            boolean ends = i == candidates.size() || candidates.get(i).index() - candidates.get(i - 1).index() >= WINDOW
                    || (candidates.get(i).ratio() > 1) != (candidates.get(i - 1).ratio() > 1);
            if (!ends) continue;
            steps.add(place(values, candidates.subList(start, i)));
            start = i;
        }
        return List.copyOf(steps);
    }

    private static Step place(double[] values, List<Step> group) {
        int lo = Math.max(0, group.get(0).index() - WINDOW);
        int hi = Math.min(values.length, group.get(group.size() - 1).index() + WINDOW);
        Step best = group.get(0);
        double bestCost = Double.MAX_VALUE;
        for (Step c : group) {
            double cost = sse(values, lo, c.index()) + sse(values, c.index(), hi);
            if (cost < bestCost) {
                bestCost = cost;
                best = c;
            }
        }
        return best;
    }

    /** The sum of squared deviations of the log values in [from, to) from their mean. */
    private static double sse(double[] values, int from, int to) {
        double mean = 0;
        for (int i = from; i < to; i++) mean += Math.log(values[i]);
        mean /= to - from;
        double sum = 0;
        for (int i = from; i < to; i++) sum += (Math.log(values[i]) - mean) * (Math.log(values[i]) - mean);
        return sum;
    }

    private static double geometricMean(double[] values) {
        double sum = 0;
        for (double v : values) sum += Math.log(v);
        return Math.exp(sum / values.length);
    }
}
