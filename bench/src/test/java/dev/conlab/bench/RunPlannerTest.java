package dev.conlab.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunPlannerTest {

    private static RunSpec plan(String suite, List<String> workloads, List<String> models, Map<String, String> overrides) {
        return RunPlanner.plan(RunRequest.suite(suite).withWorkloads(workloads).withModels(models).withParams(overrides));
    }

    @Test
    void the_whole_catalog_is_every_workload_times_every_model() {
        RunSpec spec = plan("smoke", List.of(), List.of(), Map.of());
        assertThat(spec.cells()).hasSize(Catalog.WORKLOADS.size() * Catalog.MODELS.size());
        assertThat(spec.settings()).isEqualTo(Settings.of(Suite.SMOKE));
        assertThat(spec.cells()).extracting(CellSpec::index).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, spec.cells().size()).boxed().toList());
    }

    @Test
    void the_seed_suite_has_the_source_articles_sizes() {
        RunSpec spec = plan("seed", List.of("sleep-io", "cpu-sum"), List.of("sequential"), Map.of());
        assertThat(spec.cells().get(0).params()).containsEntry("tasks", 10L).containsEntry("latencyMs", 1000L);
        assertThat(spec.cells().get(1).params()).containsEntry("workers", 8L).containsEntry("count", 1_000_000L);
    }

    @Test
    void overrides_change_only_their_owner() {
        RunSpec spec = plan("default", List.of("sleep-io", "pinned-io"), List.of("fixed-pool"),
                Map.of("sleep-io.tasks", "100", "fixed-pool.threads", "4"));
        assertThat(spec.cells().get(0).params()).containsEntry("tasks", 100L);
        assertThat(spec.cells().get(0).modelParams()).containsEntry("threads", 4L);
        assertThat(spec.cells().get(1).params()).containsEntry("tasks", 200L);
    }

    @Test
    void an_unknown_model_workload_or_suite_is_refused_with_the_valid_choices() {
        assertThatThrownBy(() -> plan("smoke", List.of(), List.of("green-threads"), Map.of()))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("unknown model 'green-threads'")
                .hasMessageContaining("virtual-threads");
        assertThatThrownBy(() -> plan("smoke", List.of("disk-io"), List.of(), Map.of()))
                .hasMessageContaining("unknown workload 'disk-io'").hasMessageContaining("sleep-io");
        assertThatThrownBy(() -> plan("huge", List.of(), List.of(), Map.of()))
                .hasMessageContaining("valid suites: smoke, default, seed");
    }

    @Test
    void a_bad_parameter_is_refused_with_what_is_allowed() {
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("sleep-io.bogus", "1")))
                .hasMessageContaining("valid parameters: tasks, latencyMs");
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("sleep-io.tasks", "ten")))
                .hasMessageContaining("expected a whole number from 1 to 1000000");
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("sleep-io.tasks", "0")))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> plan("smoke", List.of("contended-counter"), List.of(), Map.of("contended-counter.counter", "mutex")))
                .hasMessageContaining("valid values: atomic, synchronized, adder");
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("tasks", "3")))
                .hasMessageContaining("workload.name=value");
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("cpu-sum.count", "3")))
                .hasMessageContaining("not in this run");
    }

    @Test
    void settings_out_of_range_are_refused() {
        assertThatThrownBy(() -> RunPlanner.plan(RunRequest.suite("smoke").withIterations(-1, null)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("warm-ups");
        assertThatThrownBy(() -> RunPlanner.plan(RunRequest.suite("smoke").withIterations(null, 0)))
                .hasMessageContaining("iterations");
    }
}
