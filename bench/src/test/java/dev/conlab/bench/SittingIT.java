package dev.conlab.bench;

import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.stats.CellSummary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forks added until a cell's interval is within its target, and interleaved sittings (round r of every cell of every target
 * before round r + 1), in real worker JVMs. They count forks and rounds and never judge the machine, so they run without
 * its measure and beside the other tests; {@link MachineIT} measures it, alone.
 */
class SittingIT {

    @Test
    void forks_are_added_until_the_interval_is_within_the_target() throws Exception {
        var cells = List.of(new CellSpec(0, "sleep-io", "sequential", Map.of("tasks", 1L, "latencyMs", 20L), Map.of()));
        var settings = new Settings(0, 2, 2, 30, ForkMode.CELL, null, 50.0, 4, null);
        RunDocument doc = WorkerIT.runner(false).run(WorkerIT.newest(), new RunSpec("smoke", settings, cells), new ForkRunner.Listener() { });
        CellResult cell = doc.results().get(0);
        // a 20 ms sleep is steady to a fraction of a percent: the two forks set reach ±50 %
        assertThat(cell.forks().stream().filter(ForkRecord::clean).count()).isGreaterThanOrEqualTo(2);
        assertThat(cell.forksStopped()).contains("within the target of ±50 %");
        assertThat(doc.settings().targetCiPct()).isEqualTo(50.0);
        assertThat(doc.settings().maxForks()).isEqualTo(4);
        assertThat(SchemaCheck.problems(doc)).isEmpty();
    }

    @Test
    void an_interleaved_sitting_runs_round_r_of_every_cell_of_every_target_before_round_r_plus_one() throws Exception {
        Jdk jdk = WorkerIT.newest();
        Map<String, Object> cpu = Map.of("workers", 4L, "count", 200_000L);
        var cells = List.of(new CellSpec(0, "cpu-sum", "fork-join", cpu, Map.of("parallelism", 0L)),
                new CellSpec(1, "sleep-io", "sequential", Map.of("tasks", 1L, "latencyMs", 5L), Map.of()));
        var settings = new Settings(0, 2, 2, 60, ForkMode.CELL, null, null, null, true);
        var spec = new RunSpec("smoke", settings, cells);
        // the order forks start in, across both targets: (target, fork number)
        var order = Collections.synchronizedList(new ArrayList<int[]>());
        var jobs = new ArrayList<ForkRunner.Job>();
        for (int t = 0; t < 2; t++) {
            int target = t;
            jobs.add(new ForkRunner.Job(java.util.UUID.randomUUID().toString(), jdk, spec, new ForkRunner.Listener() {
                @Override
                public void forkStarted(int number, int forks) {
                    order.add(new int[] {target, number});
                }
            }));
        }
        var sitting = new Sitting(java.util.UUID.randomUUID().toString(), 2, true, 42L, null);
        List<ForkRunner.Outcome> outcomes = WorkerIT.runner(false).interleave(sitting, jobs);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        RunDocument a = outcomes.get(0).document();
        RunDocument b = outcomes.get(1).document();
        assertThat(a.sitting().id()).isEqualTo(sitting.id()).isEqualTo(b.sitting().id());
        assertThat(a.sitting().rounds()).isEqualTo(2);
        assertThat(a.interleavedWith(b)).isTrue();
        for (RunDocument doc : List.of(a, b)) {
            assertThat(SchemaCheck.problems(doc)).isEmpty();
            for (CellResult cell : doc.results()) {
                assertThat(cell.forks()).as("%s × %s: %s (%s)", cell.workload(), cell.model(), cell.forks(), cell.error())
                        .extracting(ForkRecord::round).contains(0, 1);
            }
            // T₁ (cpu-sum's sequential code path, not a cell of the plan) ran in the rounds too, and pairs with the cell
            assertThat(doc.oneThread()).hasSize(1);
            assertThat(doc.oneThread().get(0).rounds()).extracting(OneThread.RoundMean::round).contains(0, 1);
            assertThat(CellSummary.of(doc).get(0).pairedRounds()).isGreaterThanOrEqualTo(2);
        }
        // round 0 first runs the first fork of every unit of both targets (T₁ and two cells, each), shuffled; only then
        // replacements, and round 1
        assertThat(order).hasSizeGreaterThanOrEqualTo(12);
        assertThat(order.subList(0, 6)).allSatisfy(e -> assertThat(e[1]).isZero());
        assertThat(order.subList(0, 6).stream().map(e -> e[0]).distinct()).hasSize(2);
    }
}
