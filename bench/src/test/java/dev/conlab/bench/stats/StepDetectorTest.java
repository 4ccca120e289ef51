package dev.conlab.bench.stats;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The acceptance of issue #18's regression detection, on generated nightly series with a fixed seed. */
class StepDetectorTest {

    /** 60 nightly medians around 100 ms with log-normal noise of {@code sigma}, times {@code factor} from run {@code at} on. */
    static double[] nightly(long seed, double sigma, int at, double factor) {
        var random = new SplittableRandom(seed);
        double[] series = new double[60];
        for (int i = 0; i < series.length; i++) {
            double noise = Math.exp(sigma * gaussian(random));
            series[i] = 100e6 * noise * (i >= at ? factor : 1.0);
        }
        return series;
    }

    static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Test
    void a_fifteen_percent_step_at_run_40_raises_one_alert_there_and_none_elsewhere() {
        for (long seed = 1; seed <= 50; seed++) {
            var steps = StepDetector.detect(nightly(seed, 0.02, 40, 1.15));
            assertThat(steps).as("seed %d", seed).singleElement().satisfies(step -> {
                assertThat(step.index()).isEqualTo(40);
                assertThat(step.ratio()).isBetween(1.10, 1.20);
            });
        }
    }

    @Test
    void with_noisier_nights_the_step_is_still_one_alert_though_a_run_between_the_levels_may_place_it_one_later() {
        // 3 % noise: run 40 itself may fall nearer the old level (seed 12: 106.4 ms between 100 and 115) — then the
        // data say the level changed at 41, and so does the alert
        for (long seed = 1; seed <= 50; seed++) {
            assertThat(StepDetector.detect(nightly(seed, 0.03, 40, 1.15))).as("seed %d", seed).singleElement()
                    .satisfies(step -> assertThat(step.index()).isBetween(40, 41));
        }
    }

    @Test
    void the_same_series_without_a_step_raises_none() {
        for (long seed = 1; seed <= 50; seed++) {
            assertThat(StepDetector.detect(nightly(seed, 0.02, 60, 1.0))).as("seed %d", seed).isEmpty();
            assertThat(StepDetector.detect(nightly(seed, 0.03, 60, 1.0))).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void a_speed_up_is_a_step_too_and_a_step_at_the_end_waits_for_five_runs() {
        assertThat(StepDetector.detect(nightly(7, 0.02, 30, 0.8))).singleElement().satisfies(s -> assertThat(s.ratio()).isLessThan(1));
        assertThat(StepDetector.detect(nightly(7, 0.02, 56, 1.3))).isEmpty();
        assertThat(StepDetector.detect(nightly(7, 0.02, 55, 1.3))).singleElement().satisfies(s -> assertThat(s.index()).isEqualTo(55));
    }
}
