package dev.conlab.bench.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The USL fit against R's {@code usl} package on Gunther's SPEC SDM91 data (the package's own example). */
class UslTest {

    private static final double[] USERS = {1, 18, 36, 72, 108, 144, 216};
    private static final double[] THROUGHPUT = {64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2};

    /** Rounds to three significant digits. */
    private static double sig3(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
    }

    @Test
    void the_spec_sdm91_fit_matches_r_usl_to_three_significant_digits() {
        Usl usl = Usl.fit(USERS, THROUGHPUT);
        // R: usl(throughput ~ load, specsdm91): sigma 0.0277, kappa 0.000104, lambda 90.0, residual standard error 82.85
        assertThat(sig3(usl.sigma())).isEqualTo(0.0277);
        assertThat(sig3(usl.kappa())).isEqualTo(0.000104);
        assertThat(sig3(usl.lambda())).isEqualTo(90.0);
        assertThat(usl.residualError()).isCloseTo(82.85, within(0.05));
        assertThat(usl.peak()).isCloseTo(Math.sqrt((1 - usl.sigma()) / usl.kappa()), within(1e-9));
        assertThat(usl.peak()).isBetween(95.0, 98.0);
        assertThat(usl.rSquared()).isGreaterThan(0.98); // 0.9896
        assertThat(usl.poor()).isFalse();
    }

    @Test
    void linear_scaling_fits_with_no_contention_and_no_peak() {
        double[] n = {1, 2, 4, 8};
        double[] x = {10, 20, 40, 80};
        Usl usl = Usl.fit(n, x);
        assertThat(usl.sigma()).isLessThan(1e-6);
        assertThat(usl.kappa()).isLessThan(1e-8);
        assertThat(usl.lambda()).isCloseTo(10, within(1e-3));
    }

    @Test
    void too_few_points_are_refused_with_the_reason() {
        assertThatThrownBy(() -> Usl.fit(new double[] {1, 2, 4}, new double[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 4 distinct concurrencies");
    }
}
