package dev.conlab.bench.harness;

import dev.conlab.bench.fixture.Fixtures;
import dev.conlab.bench.Catalog;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.Model;
import dev.conlab.bench.Param;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Settings;
import dev.conlab.bench.Suite;
import dev.conlab.bench.Workload;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-JVM harness on its own (the forked path is tested in WorkerIT). */
class HarnessTest {

    private static final Settings QUICK = new Settings(1, 3, 1, 60);
    private final Harness harness = new Harness();

    /** A cell as the planner makes it: the smoke suite's parameters with the given overrides (fixtures by their id too). */
    private CellResult run(String workloadId, String modelId, Map<String, Object> overrides) {
        Workload workload = workloadId.startsWith("fixture-") ? Fixtures.byId(workloadId) : Catalog.workload(workloadId);
        Model model = Catalog.model(modelId);
        var params = new java.util.LinkedHashMap<>(Param.defaults(workloadId, workload.params(), Suite.SMOKE));
        params.putAll(overrides);
        var modelParams = Param.defaults(modelId, model.params(), Suite.SMOKE);
        return harness.measure(workload, model, new CellSpec(0, workloadId, modelId, params, modelParams), QUICK, (i, p, it, of) -> { }).result();
    }

    @Test
    void a_sleep_cell_is_ok_with_samples_every_metric_and_its_ideal() {
        CellResult cell = run("sleep-io", "threads", Map.of("tasks", 4L, "latencyMs", 10L));
        assertThat(cell.status()).isEqualTo(CellStatus.OK);
        assertThat(cell.error()).isNull();
        assertThat(cell.samples()).hasSize(3);
        assertThat(cell.warmupWallNanos()).hasSize(1);
        assertThat(cell.concurrency()).isEqualTo(4);
        assertThat(cell.idealNanos()).isEqualTo(10_000_000L);
        for (Sample s : cell.samples()) {
            assertThat(s.wallNanos()).isGreaterThanOrEqualTo(10_000_000L);
            assertThat(s.cpuNanos()).isNotNull().isNotNegative();
            assertThat(s.allocBytes()).isNotNull().isNotNegative();
            assertThat(s.gcCount()).isNotNull().isNotNegative();
            assertThat(s.peakThreads()).isNotNull().isGreaterThanOrEqualTo(4L);
            assertThat(s.ctxSwitchesVoluntary()).isNotNull().isNotNegative();
        }
        assertThat(cell.metricSources()).containsKeys("cpuNanos", "allocBytes", "ctxSwitches", "peakThreads");
    }

    @Test
    void a_task_that_throws_fails_the_cell_with_its_message() {
        CellResult cell = run("fixture-throws", "fixed-pool", Map.of("tasks", 2L));
        assertThat(cell.status()).isEqualTo(CellStatus.FAILED);
        assertThat(cell.error()).contains("IllegalStateException").contains("broke on purpose");
        assertThat(cell.samples()).isEmpty();
    }

    @Test
    void a_wrong_answer_fails_the_cell_as_a_wrong_result() {
        CellResult cell = run("fixture-wrong", "sequential", Map.of("tasks", 2L));
        assertThat(cell.status()).isEqualTo(CellStatus.FAILED);
        assertThat(cell.error()).startsWith("wrong result:").contains("task 0 answered 1");
    }

    @Test
    void virtual_threads_are_unsupported_with_a_reason_when_the_base_classes_run() {
        // Surefire runs target/classes, which hold the JDK 17 base classes only: the overlay is tested in WorkerIT.
        CellResult cell = run("sleep-io", "virtual-threads", Map.of("tasks", 2L, "latencyMs", 1L));
        assertThat(cell.status()).isEqualTo(CellStatus.UNSUPPORTED);
        assertThat(cell.error()).contains("JDK 21");
    }

    @Test
    void structurally_impossible_cells_are_unsupported_with_the_reason() {
        assertThat(run("producer-consumer", "sequential", Map.of("items", 10L, "producers", 1L, "consumers", 1L, "capacity", 4L)).error())
                .contains("running at once");
        assertThat(run("contended-counter", "processes", Map.of("tasks", 2L, "increments", 10L, "counter", "atomic")).error())
                .contains("separate JVMs");
    }

    @Test
    void a_cpu_bound_ideal_is_left_to_the_supervisor_as_a_multiple_of_the_runs_one_thread_time() {
        // the worker does not measure T₁ itself (its supervisor measures one T₁ per run, in forks of its own)
        Workload workload = Catalog.workload("cpu-sum");
        Model model = Catalog.model("fixed-pool");
        var params = new java.util.LinkedHashMap<>(Param.defaults("cpu-sum", workload.params(), Suite.SMOKE));
        params.putAll(Map.of("workers", 4L, "count", 100_000L));
        Harness.Measured measured = harness.measure(workload, model,
                new CellSpec(0, "cpu-sum", "fixed-pool", params, Param.defaults("fixed-pool", model.params(), Suite.SMOKE)), QUICK,
                (i, p, it, of) -> { });
        assertThat(measured.result().status()).isEqualTo(CellStatus.OK);
        assertThat(measured.result().idealNanos()).as("filled in by the supervisor").isNull();
        assertThat(measured.result().idealFormula()).isEqualTo("T₁ ÷ min(workers, P)");
        assertThat(measured.idealPerOneThread()).isEqualTo(1.0 / Math.min(4, Runtime.getRuntime().availableProcessors()));
        // a waiting workload's ideal needs no T₁: the worker computes it
        assertThat(run("sleep-io", "threads", Map.of("tasks", 4L, "latencyMs", 10L)).idealNanos()).isEqualTo(10_000_000L);
    }
}
