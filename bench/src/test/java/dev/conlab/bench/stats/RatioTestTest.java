package dev.conlab.bench.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RatioTestTest {

    private static double[] logs(double[] values) {
        return Arrays.stream(values).map(Math::log).toArray();
    }

    @Test
    void the_p_value_and_interval_are_welchs_t_test_on_log_times_as_commons_math_computes_it() {
        double[][][] pairs = {
                {{10.0, 10.2, 9.9, 10.1, 10.0}, {10.1, 9.8, 10.3, 10.0, 9.9}},
                {{1.00, 1.02, 0.99}, {2.01, 1.98, 2.03, 2.00}},
                {{5.0, 5.5, 6.1, 4.9, 5.2, 7.0, 5.1}, {4.0, 6.5, 5.0}},
                {{1.0e9, 1.01e9, 0.99e9}, {1.2e9, 0.9e9, 1.1e9, 1.05e9, 0.97e9, 1.3e9}},
        };
        TTest reference = new TTest();
        for (double[][] pair : pairs) {
            RatioTest r = RatioTest.of(pair[0], pair[1]);
            double[] x = logs(pair[0]);
            double[] y = logs(pair[1]);
            assertThat(r.p()).isCloseTo(reference.tTest(x, y), within(1e-9));
            double mx = Arrays.stream(x).average().orElseThrow();
            double my = Arrays.stream(y).average().orElseThrow();
            assertThat(r.ratio()).isCloseTo(Math.exp(my - mx), within(1e-12));
            // the interval from commons-math's t quantile at the Welch–Satterthwaite degrees of freedom
            double vx = new org.apache.commons.math3.stat.descriptive.moment.Variance().evaluate(x) / x.length;
            double vy = new org.apache.commons.math3.stat.descriptive.moment.Variance().evaluate(y) / y.length;
            double df = (vx + vy) * (vx + vy) / (vx * vx / (x.length - 1) + vy * vy / (y.length - 1));
            assertThat(r.df()).isCloseTo(df, within(1e-9));
            double half = new TDistribution(df).inverseCumulativeProbability(0.975) * Math.sqrt(vx + vy);
            assertThat(r.ciLow()).isCloseTo(Math.exp(my - mx - half), within(1e-7));
            assertThat(r.ciHigh()).isCloseTo(Math.exp(my - mx + half), within(1e-7));
        }
    }

    @Test
    void two_runs_with_the_same_times_show_no_difference() {
        double[] a = {100.0, 102.0, 98.0, 101.0, 99.0};
        RatioTest r = RatioTest.of(a, a.clone());
        assertThat(r.verdict()).isEqualTo(RatioTest.SAME);
        assertThat(r.ratio()).isCloseTo(1.0, within(1e-12));
        assertThat(r.p()).isCloseTo(1.0, within(1e-9));
        assertThat(r.ciLow()).isLessThan(1.0);
        assertThat(r.ciHigh()).isGreaterThan(1.0);
    }

    @Test
    void a_clear_two_fold_difference_is_significant_both_ways() {
        double[] base = {100.0, 103.0, 97.0, 101.0, 99.0};
        double[] twice = Arrays.stream(base).map(v -> v * 2).toArray();
        RatioTest slower = RatioTest.of(base, twice);
        assertThat(slower.verdict()).isEqualTo(RatioTest.SLOWER);
        assertThat(slower.ratio()).isCloseTo(2.0, within(1e-9));
        assertThat(slower.p()).isLessThan(1e-6);
        assertThat(slower.ciLow()).isGreaterThan(1.9);
        RatioTest faster = RatioTest.of(twice, base);
        assertThat(faster.verdict()).isEqualTo(RatioTest.FASTER);
        assertThat(faster.ratio()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void one_sample_on_a_side_gives_a_ratio_but_no_verdict_and_constant_samples_are_handled() {
        RatioTest one = RatioTest.of(new double[] {10.0}, new double[] {20.0, 21.0});
        assertThat(one.verdict()).isEqualTo(RatioTest.TOO_FEW);
        assertThat(one.ciLow()).isNull();
        assertThat(RatioTest.of(new double[] {5, 5, 5}, new double[] {5, 5}).verdict()).isEqualTo(RatioTest.SAME);
        assertThat(RatioTest.of(new double[] {5, 5, 5}, new double[] {10, 10}).verdict()).isEqualTo(RatioTest.SLOWER);
    }

    @org.junit.jupiter.api.Test
    void cells_measured_in_several_forks_are_compared_by_their_forks_geometric_means() {
        var samples = java.util.List.of(
                new dev.conlab.bench.Sample(100, null, null, null, null, null, null, null, 0),
                new dev.conlab.bench.Sample(400, null, null, null, null, null, null, null, 0),
                new dev.conlab.bench.Sample(300, null, null, null, null, null, null, null, 1),
                new dev.conlab.bench.Sample(0, null, null, null, null, null, null, null, 1));
        double[] perFork = RatioTest.observations(samples);
        org.assertj.core.api.Assertions.assertThat(perFork).hasSize(2);
        org.assertj.core.api.Assertions.assertThat(perFork[0]).isCloseTo(200.0, within(1e-9)); // √(100 × 400)
        org.assertj.core.api.Assertions.assertThat(perFork[1]).isCloseTo(300.0, within(1e-9)); // the zero is left out
        var oneJvm = java.util.List.of(new dev.conlab.bench.Sample(100, null, null, null, null, null, null, null),
                new dev.conlab.bench.Sample(200, null, null, null, null, null, null, null));
        org.assertj.core.api.Assertions.assertThat(RatioTest.observations(oneJvm)).containsExactly(100.0, 200.0);
    }

    @Test
    void the_paired_test_is_students_t_on_the_rounds_log_ratios_as_commons_math_computes_it() {
        double[] base = {100, 120, 95, 130, 110, 105};
        double[] other = {90, 111, 84, 118, 101, 96};
        RatioTest r = RatioTest.paired(base, other);
        double[] d = new double[base.length];
        for (int i = 0; i < d.length; i++) d[i] = Math.log(other[i]) - Math.log(base[i]);
        assertThat(r.p()).isCloseTo(new TTest().pairedTTest(logs(other), logs(base)), within(1e-9));
        double mean = Arrays.stream(d).average().orElseThrow();
        double sd = Math.sqrt(new org.apache.commons.math3.stat.descriptive.moment.Variance().evaluate(d));
        double half = new TDistribution(d.length - 1).inverseCumulativeProbability(0.975) * sd / Math.sqrt(d.length);
        assertThat(r.ratio()).isCloseTo(Math.exp(mean), within(1e-12));
        assertThat(r.ciLow()).isCloseTo(Math.exp(mean - half), within(1e-9));
        assertThat(r.ciHigh()).isCloseTo(Math.exp(mean + half), within(1e-9));
        assertThat(r.verdict()).isEqualTo(RatioTest.FASTER);
        // the same figures as two independent groups: the drift between rounds hides the 9 % in Welch's test
        assertThat(RatioTest.of(base, other).verdict()).isEqualTo(RatioTest.SAME);
    }

    @Test
    void rounds_pair_only_where_both_cells_have_a_clean_fork() {
        var base = new java.util.TreeMap<Integer, Double>(java.util.Map.of(0, 100.0, 1, 120.0, 2, 95.0));
        var other = new java.util.TreeMap<Integer, Double>(java.util.Map.of(0, 90.0, 2, 85.0, 3, 70.0));
        RatioTest r = RatioTest.pairedRounds(base, other);
        assertThat(r.df()).isEqualTo(1.0);
        assertThat(RatioTest.pairedRounds(base, java.util.Map.of(0, 90.0))).isNull();
    }
}
