package dev.conlab.bench.fork;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.ForkMode;
import dev.conlab.bench.ForkRecord;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When a cell has enough forks: as set, replacing disturbed ones a bounded number of times, or until a target interval. */
class CellForksTest {

    private static final CellSpec CELL = new CellSpec(0, "cpu-sum", "fork-join", Map.of("workers", 8L), Map.of());

    private static CellResult fork(int number, double... ms) {
        var samples = java.util.Arrays.stream(ms).mapToObj(v -> new Sample(Math.round(v * 1e6), null, null, null, null, null, null, null))
                .toList();
        return new CellResult("cpu-sum", "fork-join", CELL.params(), Map.of(), CellStatus.OK, 2, null, "f", null, List.of(), samples,
                Map.of(), null).ofFork(number, 100 + number);
    }

    private static void add(CellForks cell, double mean, String disturbed) {
        int n = cell.total();
        cell.add(fork(n, mean, mean * 1.001, mean * 0.999), new ForkRecord(n, null, 100L + n, null, disturbed), null);
    }

    private static Settings fixed(int forks) {
        return new Settings(0, 3, forks, 60, ForkMode.CELL, null);
    }

    private static Settings target(int forks, double pct, int most) {
        return new Settings(0, 3, forks, 60, ForkMode.CELL, null, pct, most, null);
    }

    @Test
    void a_fixed_number_of_clean_forks_and_a_disturbed_one_is_replaced() {
        var cell = new CellForks(CELL);
        add(cell, 100, null);
        add(cell, 101, "other processes used 48 % of the 2 CPUs during fork 2");
        add(cell, 102, null);
        assertThat(cell.done(fixed(3))).isFalse();
        add(cell, 100, null);
        assertThat(cell.done(fixed(3))).isTrue();
        CellResult result = cell.result(fixed(3));
        assertThat(result.forks()).hasSize(4);
        assertThat(result.samples()).hasSize(12);
        assertThat(result.cleanSamples()).hasSize(9);
        assertThat(result.forksStopped()).isEqualTo("3 clean forks, as set; 1 disturbed fork left out of the statistics and replaced");
    }

    @Test
    void replacements_are_bounded_so_that_a_busy_machine_does_not_measure_for_ever() {
        var cell = new CellForks(CELL);
        Settings settings = fixed(2);
        for (int i = 0; i < 10 && !cell.done(settings); i++) add(cell, 100, "busy");
        // two forks set, at most max(2, forks) = 2 replacements: four forks, every one disturbed
        assertThat(cell.total()).isEqualTo(4);
        assertThat(cell.result(settings).forksStopped()).contains("every fork was disturbed").contains("replaced up to the limit of 2");
    }

    @Test
    void with_a_target_forks_are_added_until_the_interval_is_within_it() {
        var cell = new CellForks(CELL);
        Settings settings = target(3, 3, 10);
        double[] means = {100, 104, 97, 101, 99, 100, 102, 98};
        int added = 0;
        while (!cell.done(settings)) add(cell, means[added++], null);
        assertThat(added).isGreaterThanOrEqualTo(3).isLessThanOrEqualTo(8);
        assertThat(cell.halfWidthPct()).isLessThanOrEqualTo(3.0);
        assertThat(cell.result(settings).forksStopped()).contains("within the target of ±3 %");
    }

    @Test
    void with_a_target_out_of_reach_the_most_forks_allowed_run_and_the_cell_says_so() {
        var cell = new CellForks(CELL);
        Settings settings = target(2, 1, 4);
        double[] means = {100, 150, 80, 130, 90, 140};
        int added = 0;
        while (!cell.done(settings)) add(cell, means[added++], null);
        assertThat(cell.clean()).isEqualTo(4);
        assertThat(cell.result(settings).forksStopped()).contains("the most allowed (--max-forks 4)").contains("was not reached");
    }

    @Test
    void a_fork_that_fails_ends_the_cell_with_its_status() {
        var cell = new CellForks(CELL);
        add(cell, 100, null);
        cell.add(CellResult.notRun(CELL, CellStatus.FAILED, "boom"), new ForkRecord(1, null, 101L, null, null), null);
        assertThat(cell.done(fixed(3))).isTrue();
        assertThat(cell.ended()).isTrue();
        assertThat(cell.result(fixed(3)).status()).isEqualTo(CellStatus.FAILED);
    }
}
