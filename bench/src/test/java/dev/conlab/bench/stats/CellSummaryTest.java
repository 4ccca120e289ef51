package dev.conlab.bench.stats;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.OneThread;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Settings;
import dev.conlab.bench.TestDocuments;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The derived figures of hand-made cells: intervals from fork means, efficiency with its interval, the flag. */
class CellSummaryTest {

    private static final Map<String, Object> PARAMS = Map.of("workers", 8L, "count", 1000L);

    /** Samples in ms, one list per fork. */
    private static List<Sample> samples(double[]... forks) {
        var list = new ArrayList<Sample>();
        for (int f = 0; f < forks.length; f++) {
            for (double ms : forks[f]) list.add(new Sample(Math.round(ms * 1e6), null, null, null, null, null, null, null, f));
        }
        return list;
    }

    private static CellResult cpuSum(String model, Long ideal, Long oneThread, List<Sample> samples) {
        return new CellResult("cpu-sum", model, PARAMS, Map.of(), CellStatus.OK, 2, ideal, "T₁ ÷ min(workers, P)", oneThread,
                List.of(), samples, Map.of(), null);
    }

    private static RunDocument document(List<CellResult> cells, OneThread oneThread) {
        RunDocument t = TestDocuments.small();
        return new RunDocument(t.schema(), t.id(), t.startedAt(), t.finishedAt(), "default", t.machine(), t.jvm(),
                new Settings(0, 3, 3, 60), cells, oneThread == null ? null : List.of(oneThread));
    }

    @Test
    void with_several_forks_the_interval_comes_from_the_fork_means_and_is_wider_than_one_jvms() {
        // each fork is steady, but the forks differ: the JVM-to-JVM variation the iterations cannot see
        CellResult cell = cpuSum("fixed-pool", null, null, samples(new double[] {100, 101, 100}, new double[] {110, 111, 110},
                new double[] {120, 121, 120}));
        Summary pooled = CellSummary.wall(cell);
        assertThat(pooled.forks()).isEqualTo(3);
        assertThat(pooled.interval()).contains("3 forks' means");
        // the mean of the fork means ± t(0.975, 2) × sd(means) / √3 = 110.33 ± 4.303 × 10 / √3
        assertThat(pooled.ciLow() / 1e6).isCloseTo(110.333 - 4.3027 * 10 / Math.sqrt(3), within(0.05));
        assertThat(pooled.ciHigh() / 1e6).isCloseTo(110.333 + 4.3027 * 10 / Math.sqrt(3), within(0.05));
        Summary oneJvm = Stats.summarize(cell.samples().stream().mapToDouble(Sample::wallNanos).toArray());
        assertThat(pooled.ciHalfWidth()).isGreaterThan(2 * oneJvm.ciHalfWidth());
        assertThat(pooled.median()).isEqualTo(oneJvm.median());
    }

    @Test
    void a_cell_faster_than_its_ideal_beyond_its_interval_is_flagged_and_one_within_it_is_not() {
        // T₁ = 1000 ms ± 10 ms, so a CPU-bound ideal on 2 cores is 500 ms (490–510)
        OneThread t1 = new OneThread("cpu-sum", PARAMS, 1_000_000_000L, 990e6, 1010e6, 3, 9, "hand-made");
        CellResult fast = cpuSum("cached-pool", 500_000_000L, 1_000_000_000L,
                samples(new double[] {450, 452, 451}, new double[] {455, 454, 456}, new double[] {452, 453, 451}));
        CellResult fair = cpuSum("fixed-pool", 500_000_000L, 1_000_000_000L,
                samples(new double[] {505, 520, 510}, new double[] {530, 515, 525}, new double[] {512, 508, 519}));
        CellResult lucky = cpuSum("threads", 500_000_000L, 1_000_000_000L,
                samples(new double[] {470, 520, 480}, new double[] {460, 530, 470}, new double[] {520, 450, 470}));
        List<CellSummary> summaries = CellSummary.of(document(List.of(fast, fair, lucky), t1));

        CellSummary flagged = summaries.get(0);
        assertThat(flagged.efficiency()).isGreaterThan(1.0);
        assertThat(flagged.efficiencyLow()).isGreaterThan(1.0);
        assertThat(flagged.efficiencyHigh()).isGreaterThan(flagged.efficiencyLow());
        assertThat(flagged.flag()).startsWith("faster than the ideal").contains("T₁ is uncertain by ±1.0 %");

        CellSummary within = summaries.get(1);
        assertThat(within.efficiencyLow()).isLessThan(1.0);
        assertThat(within.flag()).isNull();

        // above 1.0 at the median, its interval including 1.0: still never silent
        CellSummary noisy = summaries.get(2);
        assertThat(noisy.efficiency()).isGreaterThan(1.0);
        assertThat(noisy.efficiencyLow()).isLessThan(1.0);
        assertThat(noisy.flag()).contains("above the ideal, but its interval").contains("includes 1.0");
    }

    @Test
    void an_exact_ideal_has_an_interval_from_the_cell_alone() {
        CellResult sleep = new CellResult("sleep-io", "threads", Map.of("tasks", 10L, "latencyMs", 100L), Map.of(), CellStatus.OK, 10,
                100_000_000L, "ceil(tasks / k) × latencyMs", null, List.of(),
                samples(new double[] {101, 102, 101}, new double[] {101.5, 102, 101}, new double[] {101, 101, 102}), Map.of(), null);
        CellSummary s = CellSummary.of(document(List.of(sleep), null)).get(0);
        assertThat(s.efficiency()).isCloseTo(100 / 101.0, within(0.001)); // ideal ÷ median
        // the interval is the ideal over the cell's interval (of the mean, 101.33 ms here)
        double mean = s.wall().mean() / 1e6;
        assertThat(s.efficiencyLow()).isLessThan(100 / mean).isGreaterThan(0.95);
        assertThat(s.efficiencyHigh()).isGreaterThan(100 / mean).isLessThan(1.0);
        assertThat(s.flag()).isNull();
    }

    private static dev.conlab.bench.ForkRecord fork(int number, Integer round, String disturbed) {
        return new dev.conlab.bench.ForkRecord(number, round, 1000L + number, null, disturbed);
    }

    @Test
    void a_disturbed_fork_stays_in_the_cell_but_is_left_out_of_every_figure_and_the_summary_says_why() {
        CellResult cell = cpuSum("fixed-pool", 50_000_000L, 100_000_000L, samples(new double[] {100, 101, 100},
                new double[] {200, 210, 205}, new double[] {102, 101, 103}))
                .withForks(List.of(fork(0, null, null), fork(1, null, "other processes used 48 % of the 2 CPUs during fork 2"),
                        fork(2, null, null)), "2 clean forks of 3 set; 1 disturbed fork left out of the statistics and replaced");
        assertThat(cell.samples()).hasSize(9);
        assertThat(cell.cleanSamples()).hasSize(6).allMatch(s -> s.fork() != 1);
        Summary wall = CellSummary.wall(cell);
        assertThat(wall.forks()).isEqualTo(2);
        assertThat(wall.median() / 1e6).isCloseTo(101.0, within(0.01));
        CellSummary s = CellSummary.of(document(List.of(cell), null)).get(0);
        assertThat(s.disturbed()).isEqualTo("1 of 3 forks left out of the statistics: other processes used 48 % of the 2 CPUs during fork 2");
        assertThat(ForkFacts.of(cell).disturbed()).isEqualTo(1);
        assertThat(ForkFacts.of(cell).anyDisturbed()).isTrue();
    }

    @Test
    void when_every_fork_was_disturbed_the_figures_use_them_all_and_say_so() {
        CellResult cell = cpuSum("fixed-pool", null, null, samples(new double[] {100, 101}, new double[] {102, 103}))
                .withForks(List.of(fork(0, null, "a"), fork(1, null, "b")), null);
        assertThat(cell.cleanSamples()).hasSize(4);
        assertThat(CellSummary.disturbed(cell)).startsWith("every fork was disturbed, so the figures use them all");
    }

    @Test
    void in_an_interleaved_sitting_the_speedup_is_paired_with_t1_round_by_round() {
        // T₁ drifts from round to round (the machine), and the cell drifts with it: the ratio per round stays at 2.0
        var t1Rounds = List.of(new OneThread.RoundMean(0, 200e6), new OneThread.RoundMean(1, 260e6), new OneThread.RoundMean(2, 220e6));
        OneThread t1 = new OneThread("cpu-sum", PARAMS, 220_000_000L, 150e6, 300e6, 3, 9, "test", t1Rounds);
        CellResult cell = cpuSum("fork-join", 110_000_000L, 220_000_000L, samples(new double[] {100, 100, 100},
                new double[] {130, 130, 130}, new double[] {110, 110, 110}))
                .withForks(List.of(fork(0, 0, null), fork(1, 1, null), fork(2, 2, null)), null);
        CellSummary s = CellSummary.of(document(List.of(cell), t1)).get(0);
        assertThat(s.pairedRounds()).isEqualTo(3);
        assertThat(s.speedupLow()).isCloseTo(2.0, within(1e-9));
        assertThat(s.speedupHigh()).isCloseTo(2.0, within(1e-9));
        // unpaired, the same figures would give the speedup an interval as wide as the drift
        assertThat(s.efficiencyLow()).isCloseTo(1.0, within(1e-9));
        assertThat(s.efficiencyHigh()).isCloseTo(1.0, within(1e-9));
    }
}
