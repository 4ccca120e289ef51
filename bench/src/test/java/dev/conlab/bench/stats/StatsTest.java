package dev.conlab.bench.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatsTest {

    private static final double[][] SAMPLE_SETS = {
            {10.0, 10.2, 9.9, 10.1, 10.0},
            {1.0, 2.0, 3.0, 4.0, 100.0},
            {5.0, 5.0},
            {1_000_000_123.0, 1_000_400_000.0, 999_800_000.0, 1_001_000_000.0, 1_000_050_000.0, 999_990_000.0},
            {3.5, 2.25, 8.0, 1.0, 4.75, 6.5, 2.0, 9.25, 7.0, 5.5, 3.0},
    };

    @Test
    void student_t_quantiles_match_commons_math_for_1_to_200_degrees_of_freedom() {
        for (int df = 1; df <= 200; df++) {
            for (double p : new double[] {0.9, 0.95, 0.975, 0.995, 0.025}) {
                double expected = new TDistribution(df).inverseCumulativeProbability(p);
                assertThat(StudentT.quantile(p, df)).as("df %d p %s", df, p).isCloseTo(expected, within(1e-7 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void student_t_cdf_matches_commons_math() {
        for (int df : new int[] {1, 2, 4, 9, 30, 120}) {
            for (double t = -6; t <= 6; t += 0.37) {
                assertThat(StudentT.cdf(t, df)).isCloseTo(new TDistribution(df).cumulativeProbability(t), within(1e-10));
            }
        }
    }

    @Test
    void median_mean_stdev_ci_and_cv_match_commons_math_on_fixed_sample_sets() {
        for (double[] values : SAMPLE_SETS) {
            DescriptiveStatistics reference = new DescriptiveStatistics(values);
            Summary s = Stats.summarize(values);
            int n = values.length;
            double half = new TDistribution(n - 1).inverseCumulativeProbability(0.975) * reference.getStandardDeviation() / Math.sqrt(n);
            double tolerance = 1e-9 * Math.max(1, Math.abs(reference.getMean()));
            assertThat(s.n()).isEqualTo(n);
            assertThat(s.median()).isCloseTo(reference.getPercentile(50), within(tolerance));
            assertThat(s.mean()).isCloseTo(reference.getMean(), within(tolerance));
            assertThat(s.stdev()).isCloseTo(reference.getStandardDeviation(), within(tolerance));
            assertThat(s.ciLow()).isCloseTo(reference.getMean() - half, within(tolerance));
            assertThat(s.ciHigh()).isCloseTo(reference.getMean() + half, within(tolerance));
            assertThat(s.cv()).isCloseTo(reference.getStandardDeviation() / reference.getMean(), within(1e-12));
            assertThat(s.min()).isEqualTo(reference.getMin());
            assertThat(s.max()).isEqualTo(reference.getMax());
        }
    }

    @Test
    void a_single_sample_has_a_median_but_no_interval() {
        Summary s = Stats.summarize(new long[] {42});
        assertThat(s.median()).isEqualTo(42);
        assertThat(s.ciLow()).isNull();
        assertThat(s.stdev()).isNull();
    }

    @Test
    void speedup_and_efficiency_are_ratios_of_medians_and_null_without_a_reference() {
        assertThat(Stats.speedup(10e9, 1e9)).isEqualTo(10.0);
        assertThat(Stats.efficiency(1_000_000_000L, 1.25e9)).isEqualTo(0.8);
        assertThat(Stats.speedup(null, 1e9)).isNull();
        assertThat(Stats.efficiency(null, 1e9)).isNull();
    }
}
