package dev.conlab.bench;

import java.util.List;
import java.util.Map;

/**
 * What JMH said of one imported benchmark (one entry of its JSON result file), beside the cell the lab made of it: the
 * cell's samples are JMH's raw data, one per fork and iteration, in {@link #unit()}. Scores JMH could not compute are
 * {@code NaN} (the JSON says {@code "NaN"}), infinite ones {@code "Infinity"}.
 *
 * @param benchmark        the fully qualified benchmark method, as JMH names it
 * @param mode             JMH's mode: thrpt, avgt, sample or ss
 * @param unit             the score's unit as JMH gave it (ops/s, us/op, …)
 * @param higherIsBetter   true for throughput units (ops per time): comparisons turn their verdicts round
 * @param threads          JMH's worker threads
 * @param forks            JMH's forks
 * @param score            JMH's score (its mean of the iterations)
 * @param scoreError       the half-width of JMH's 99.9 % interval
 * @param scoreConfidence  JMH's interval [low, high]
 * @param scorePercentiles JMH's percentiles of the score, by percentile ("50.0")
 * @param secondaryMetrics profilers' and auxiliary counters' results by name (the "·" prefix of JMH 1.36 and older removed)
 * @param jmhVersion       the JMH that measured (null for files from before JMH recorded it)
 */
public record JmhCell(String benchmark, String mode, String unit, boolean higherIsBetter, int threads, int forks, Double score,
                      Double scoreError, List<Double> scoreConfidence, Map<String, Double> scorePercentiles,
                      Map<String, Metric> secondaryMetrics, String jmhVersion) {

    /** A secondary metric: its score, error and unit. */
    public record Metric(Double score, Double scoreError, String unit) {
    }
}
