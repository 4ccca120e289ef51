package dev.conlab.bench.stats;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Settings;
import dev.conlab.bench.Sweep;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Curves from documents whose figures are chosen, so that each rule is seen to hold (the real ones come from WorkerIT). */
class CurvesTest {

    private static final long MS = 1_000_000L;

    /** A cell of sleep-io at {@code tasks} whose three samples are around {@code ms} (±0.01 %). */
    private static CellResult sleep(String model, long tasks, double ms) {
        var samples = new ArrayList<Sample>();
        for (double f : new double[] {0.9999, 1.0, 1.0001}) {
            samples.add(new Sample((long) (ms * f * MS), null, null, null, null, null, null, null, 0, 100L << 20,
                    (100L << 20) + tasks * 2048, 50L << 20, (long) (ms * MS), (long) (ms * MS), (long) (ms * 1.1 * MS), null, null));
        }
        return new CellResult("sleep-io", model, Map.of("tasks", tasks, "latencyMs", 1000L), Map.of(), CellStatus.OK, 2,
                1000 * MS, "d", null, List.of(), samples, Map.of(), null);
    }

    private static CellResult failed(String model, long tasks, String error) {
        return new CellResult("sleep-io", model, Map.of("tasks", tasks, "latencyMs", 1000L), Map.of(), CellStatus.FAILED, null,
                null, null, null, List.of(), List.of(), Map.of(), error);
    }

    private static RunDocument doc(List<CellResult> cells, Sweep... sweeps) {
        return new RunDocument(RunDocument.SCHEMA, "00000000-0000-0000-0000-000000000000", "2026-12-02T00:00:00Z",
                "2026-12-02T00:01:00Z", "scaling", null, null, new Settings(0, 3, 1, 60), cells, null, List.of(sweeps));
    }

    @Test
    void a_flip_between_decided_points_is_a_crossover_sentence_and_a_break_is_where_the_model_fails() {
        var sweep = new Sweep("sleep-io.tasks", List.of(1L, 10L, 100L, 1000L));
        RunDocument d = doc(List.of(
                sleep("threads", 1, 1002), sleep("threads", 10, 1001), sleep("threads", 100, 1010), failed("threads", 1000,
                        "java.lang.OutOfMemoryError: unable to create native thread"),
                sleep("sequential", 1, 1000.1), sleep("sequential", 10, 10_000),
                sleep("virtual-threads", 1, 1003), sleep("virtual-threads", 10, 1003), sleep("virtual-threads", 100, 1003),
                sleep("virtual-threads", 1000, 1004)), sweep);

        List<Curves.Curve> curves = Curves.of(d);
        assertThat(curves).hasSize(1);
        Curves.Curve c = curves.get(0);
        assertThat(c.title()).isEqualTo("sleep-io over tasks (latencyMs = 1000)");
        assertThat(c.xs()).containsExactly(1L, 10L, 100L, 1000L);
        assertThat(c.lines()).extracting(Curves.Line::model).containsExactly("sequential", "threads", "virtual-threads");
        assertThat(c.crossovers()).extracting(Curves.Crossover::sentence).containsExactlyInAnyOrder(
                "threads overtakes sequential between 1 and 10 tasks",
                "virtual-threads overtakes sequential between 1 and 10 tasks",
                "virtual-threads overtakes threads between 10 and 100 tasks");
        Curves.Line threads = c.lines().get(1);
        assertThat(threads.breaks()).isEqualTo("fails at 1,000 tasks: java.lang.OutOfMemoryError: unable to create native thread");
        assertThat(threads.usl()).isNull();
        assertThat(threads.uslNote()).isNull(); // tasks is work, not a concurrency: no USL is attempted

        Curves.Point p = threads.points().get(2);
        assertThat(p.throughput()).isCloseTo(100 / 1.010, within(0.01));
        assertThat(p.memoryPerTask()).isEqualTo(2048.0);
        assertThat(p.latencyP99()).isEqualTo(1010 * MS);
        assertThat(p.cell()).isEqualTo(2);
    }

    @Test
    void overlapping_intervals_decide_nothing() {
        var sweep = new Sweep("sleep-io.tasks", List.of(10L, 100L));
        RunDocument d = doc(List.of(sleep("threads", 10, 1000), sleep("threads", 100, 1000.1),
                sleep("virtual-threads", 10, 1000.1), sleep("virtual-threads", 100, 1000)), sweep);
        assertThat(Curves.of(d).get(0).crossovers()).isEmpty();
    }

    @Test
    void a_concurrency_sweep_gets_a_usl_fit_or_says_why_not() {
        var sweep = new Sweep("fixed-pool.threads", List.of(1L, 2L, 4L, 8L));
        var cells = new ArrayList<CellResult>();
        double[] times = {1000, 520, 300, 320};
        for (int i = 0; i < 4; i++) {
            long n = sweep.values().get(i);
            var samples = List.of(new Sample((long) (times[i] * MS), null, null, null, null, null, null, null),
                    new Sample((long) (times[i] * 1.01 * MS), null, null, null, null, null, null, null));
            cells.add(new CellResult("cpu-sum", "fixed-pool", Map.of("workers", 8L, "count", 1000L), Map.of("threads", n), CellStatus.OK,
                    (int) n, null, null, null, List.of(), samples, Map.of(), null));
        }
        Curves.Curve c = Curves.of(doc(cells, sweep)).get(0);
        assertThat(c.role().concurrency()).isTrue();
        assertThat(c.throughputUnit()).isEqualTo("runs/s");
        assertThat(c.title()).startsWith("cpu-sum over fixed-pool.threads (").contains("workers = 8", "count = 1000");
        Curves.Line line = c.lines().get(0);
        assertThat(line.usl()).isNotNull();
        assertThat(line.usl().peak()).isBetween(3.0, 8.0);
        assertThat(line.points().get(0).memoryPerTask()).isNull();

        Curves.Curve short_ = Curves.of(doc(cells.subList(0, 3), new Sweep("fixed-pool.threads", List.of(1L, 2L, 4L)))).get(0);
        assertThat(short_.lines().get(0).usl()).isNull();
        assertThat(short_.lines().get(0).uslNote()).isEqualTo("no USL fit: it needs 4 measured points, this line has 3");
    }

    @Test
    void a_document_without_sweeps_has_no_curves() {
        assertThat(Curves.of(doc(List.of(sleep("threads", 10, 1000))))).isEmpty();
    }
}
