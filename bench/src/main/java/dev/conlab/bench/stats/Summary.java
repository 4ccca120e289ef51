package dev.conlab.bench.stats;

/**
 * Statistics of one cell's samples (nanoseconds). The confidence interval is for the mean, from the t
 * distribution; with one sample it is null.
 *
 * @param n      number of samples
 * @param median the headline figure
 * @param cv     coefficient of variation, stdev ÷ mean
 */
public record Summary(int n, double median, double mean, Double stdev, Double ciLow, Double ciHigh, Double cv,
                      double min, double max) {

    /** Half the width of the 95 % interval, or null. */
    public Double ciHalfWidth() {
        return ciLow == null ? null : (ciHigh - ciLow) / 2;
    }
}
