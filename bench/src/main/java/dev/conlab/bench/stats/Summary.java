package dev.conlab.bench.stats;

/**
 * Statistics of one cell's samples (nanoseconds). The confidence interval is for the mean, from the t distribution:
 * with samples from 2 or more fresh JVMs (forks) it is built from the forks' means, so it covers the JVM-to-JVM
 * variation; from one JVM it is built from its iterations and covers only theirs. With one sample it is null.
 *
 * @param n        number of samples
 * @param median   the headline figure
 * @param cv       coefficient of variation, stdev ÷ mean, of the samples
 * @param forks    how many forks the interval was built from (1: the iterations of one JVM)
 * @param interval how the interval was built, in words
 */
public record Summary(int n, double median, double mean, Double stdev, Double ciLow, Double ciHigh, Double cv,
                      double min, double max, int forks, String interval) {

    /** The interval's method with one JVM. */
    public static final String FROM_ITERATIONS = "95 % CI of the mean of the iterations of one JVM (Student's t)";

    /** Half the width of the 95 % interval, or null. */
    public Double ciHalfWidth() {
        return ciLow == null ? null : (ciHigh - ciLow) / 2;
    }
}
