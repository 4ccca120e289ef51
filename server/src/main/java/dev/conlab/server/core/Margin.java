package dev.conlab.server.core;

import dev.conlab.bench.stats.Summary;
import dev.conlab.db.RunStore;

import java.util.Locale;

/**
 * How many times faster one cell is than another, with an interval from the two cells' own: lower ÷ upper and upper ÷
 * lower, so it is wide wherever either is (a bound that is missing or not positive counts as the median). The one rule
 * of the claims' verdicts, the run page's answers and the overview's.
 *
 * @param ratio the slower cell's median ÷ the faster's
 */
public record Margin(double ratio, double low, double high) {

    /** {@code slow} ÷ {@code fast}. */
    public static Margin of(RunStore.CellStat slow, RunStore.CellStat fast) {
        return of(slow.median(), slow.ciLow(), slow.ciHigh(), fast.median(), fast.ciLow(), fast.ciHigh());
    }

    /** {@code slow} ÷ {@code fast}. */
    public static Margin of(Summary slow, Summary fast) {
        return of(slow.median(), slow.ciLow(), slow.ciHigh(), fast.median(), fast.ciLow(), fast.ciHigh());
    }

    public static Margin of(double slowMedian, Double slowLow, Double slowHigh, double fastMedian, Double fastLow, Double fastHigh) {
        return new Margin(slowMedian / fastMedian, lower(slowMedian, slowLow) / upper(fastMedian, fastHigh),
                upper(slowMedian, slowHigh) / lower(fastMedian, fastLow));
    }

    /** The whole interval is above 1: the faster cell is faster beyond its uncertainty. */
    public boolean clear() {
        return low > 1;
    }

    /** "1.57× [1.48–1.64]". */
    public String text() {
        return String.format(Locale.ROOT, "%.2f× [%.2f–%.2f]", ratio, low, high);
    }

    private static double lower(double median, Double low) {
        return low != null && low > 0 ? low : median;
    }

    private static double upper(double median, Double high) {
        return high != null ? high : median;
    }
}
