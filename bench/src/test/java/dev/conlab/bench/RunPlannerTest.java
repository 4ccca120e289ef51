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

    @Test
    void a_sweep_is_one_cell_per_point_and_the_spec_says_what_was_swept() {
        RunSpec spec = plan("smoke", List.of("sleep-io"), List.of("threads", "virtual-threads"), Map.of("sleep-io.tasks", "10,100,1000"));
        assertThat(spec.cells()).hasSize(6);
        assertThat(spec.cells()).extracting(c -> c.params().get("tasks")).containsExactly(10L, 100L, 1000L, 10L, 100L, 1000L);
        assertThat(spec.sweeps()).containsExactly(new Sweep("sleep-io.tasks", List.of(10L, 100L, 1000L)));

        RunSpec range = plan("smoke", List.of("cpu-sum"), List.of("fixed-pool"), Map.of("fixed-pool.threads", "1..64x2"));
        assertThat(range.cells()).extracting(c -> c.modelParams().get("threads")).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L);
        assertThat(plan("smoke", List.of("cpu-sum"), List.of("fixed-pool"), Map.of("fixed-pool.threads", "3..6")).cells())
                .extracting(c -> c.modelParams().get("threads")).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void two_sweeps_give_their_product() {
        RunSpec spec = plan("smoke", List.of("cpu-sum"), List.of("fixed-pool"),
                Map.of("fixed-pool.threads", "1,2", "cpu-sum.workers", "2,4,8"));
        assertThat(spec.cells()).hasSize(6);
        assertThat(spec.sweeps()).hasSize(2);
    }

    @Test
    void a_bad_sweep_says_what_to_write_instead() {
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("sleep-io.tasks", "10,ten")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("'ten' is not a whole number").hasMessageContaining("10,100,1000");
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("sleep-io.tasks", "100..10")))
                .hasMessageContaining("the range is empty");
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("sleep-io.tasks", "1..100")))
                .hasMessageContaining("more than 25 points").hasMessageContaining("x10");
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("sleep-io.tasks", "10..10000000x10")))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("sleep-io.tasks", "10,")))
                .hasMessageContaining("one point");
        assertThatThrownBy(() -> plan("smoke", List.of("sleep-io"), List.of(), Map.of("sleep-io.tasks", "1..8x1")))
                .hasMessageContaining("factor");
        assertThatThrownBy(() -> plan("smoke", List.of("contended-counter"), List.of(), Map.of("contended-counter.counter", "atomic,adder")))
                .hasMessageContaining("only whole-number parameters can be swept");
    }

    @Test
    void the_scaling_suite_sweeps_every_workload_that_has_a_regime_and_keeps_the_requests_own_values() {
        RunSpec spec = plan("scaling", List.of("sleep-io", "cpu-sum"), List.of("virtual-threads"), Map.of());
        assertThat(spec.sweeps()).extracting(Sweep::parameter).containsExactly("sleep-io.tasks", "cpu-sum.workers");
        assertThat(spec.sweeps().get(0).values()).containsExactly(1L, 10L, 100L, 1000L, 10000L, 100000L);
        assertThat(spec.cells()).allSatisfy(c -> {
            if (c.workload().equals("sleep-io")) assertThat(c.params().get("latencyMs")).isEqualTo(1000L);
        });
        RunSpec own = plan("scaling", List.of("sleep-io"), List.of("virtual-threads"), Map.of("sleep-io.tasks", "5,50"));
        assertThat(own.sweeps().get(0).values()).containsExactly(5L, 50L);
        assertThat(plan("scaling", List.of("sleep-io"), List.of("virtual-threads"), Map.of("sleep-io.tasks", "7")).cells()).hasSize(1);
    }

    @Test
    void python_plans_come_from_the_python_workers_catalog_with_its_own_sizes_and_baseline() {
        RunSpec spec = RunPlanner.plan(RunRequest.suite("seed").withWorkloads(List.of("sleep-io", "cpu-sum")).withPythons(List.of("python3")),
                Vocabulary.python());
        assertThat(spec.cells()).hasSize(2 * Vocabulary.python().models().size());
        assertThat(spec.cells()).extracting(CellSpec::model).contains("serial", "threading", "asyncio", "gevent").doesNotContain("sequential");
        // the articles' sizes: ten 1-second waits, 8 × 1,000,000 randint
        assertThat(spec.cells().get(0).params()).containsEntry("tasks", 10L).containsEntry("latencyMs", 1000L);
        assertThat(spec.cells().get(Vocabulary.python().models().size()).params()).containsEntry("workers", 8L).containsEntry("count", 1_000_000L);
        assertThat(Vocabulary.python().baseline()).isEqualTo("serial");
    }

    @Test
    void a_request_for_both_runtimes_gives_each_the_models_it_knows_and_refuses_ids_neither_knows() {
        RunRequest both = RunRequest.suite("smoke").withWorkloads(List.of("sleep-io")).withModels(List.of("virtual-threads", "asyncio"))
                .withParams(Map.of("sleep-io.tasks", "4", "virtual-threads.foo", "1")).withJdks(List.of("25")).withPythons(List.of("python3"));
        assertThatThrownBy(() -> RunPlanner.plan(both, Vocabulary.jvm())).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("unknown parameter 'foo' for virtual-threads");
        RunRequest fine = both.withParams(Map.of("sleep-io.tasks", "4"));
        assertThat(RunPlanner.plan(fine, Vocabulary.jvm()).cells()).extracting(CellSpec::model).containsExactly("virtual-threads");
        assertThat(RunPlanner.plan(fine, Vocabulary.python()).cells()).extracting(CellSpec::model).containsExactly("asyncio");
        assertThat(RunPlanner.plan(fine, Vocabulary.python()).cells().get(0).params()).containsEntry("tasks", 4L);
        assertThatThrownBy(() -> RunPlanner.plan(fine.withModels(List.of("virtual-threads")), Vocabulary.python()))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("none of the models").hasMessageContaining("serial");
        assertThatThrownBy(() -> RunPlanner.plan(fine.withModels(List.of("greenlets")), Vocabulary.python()))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("unknown Python model 'greenlets'");
    }
}
