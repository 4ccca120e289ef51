package dev.conlab.bench.workload;

import dev.conlab.bench.Catalog;
import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Model;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Suite;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every workload of the catalog on its own: its validation accepts the right answer and refuses a wrong one, and
 * its ideal time follows its formula on a hand-made case (k = 3 tasks at once, P = 2 processors, T₁ = 1.2 s).
 */
class WorkloadsTest {

    private static final long T1 = 1_200_000_000L;
    private static final IdealContext HAND_MADE = new IdealContext(3, 2, () -> T1);

    static List<Workload> workloads() {
        return Catalog.WORKLOADS;
    }

    /** The smoke suite's parameters, small enough to run here, with overrides. */
    private static Params params(Workload w, Map<String, Object> overrides) {
        var values = new LinkedHashMap<>(Param.defaults(w.id(), w.params(), Suite.SMOKE));
        values.putAll(overrides);
        return new Params(values);
    }

    private static WorkloadInstance prepare(Workload w, Map<String, Object> overrides) throws Exception {
        return w.prepare(params(w, overrides), Workload.Env.parent(2));
    }

    /** The right answer, computed by the {@code threads} model (some workloads need their tasks to run at once). */
    private static List<Object> answer(Workload w, WorkloadInstance instance) throws Exception {
        Model threads = Catalog.model("threads");
        instance.reset();
        return threads.execute(instance, Params.NONE, new Model.Context(2, w, params(w, Map.of()))).results();
    }

    /** A plausible wrong answer: the first result changed by one step of its own kind. */
    private static Object wrong(Object result) {
        if (result instanceof Integer i) return i + 1;
        if (result instanceof Long l) return l + 1;
        if (result instanceof Double d) return d + 1.0;
        if (result instanceof String s) return s + "x";
        if (result instanceof BigInteger b) return b.add(BigInteger.ONE);
        if (result instanceof int[] a) {
            int[] copy = a.clone();
            copy[0]++;
            return copy;
        }
        if (result instanceof long[] a) {
            long[] copy = a.clone();
            copy[0]++;
            return copy;
        }
        throw new AssertionError("no wrong answer for a result of type " + result.getClass());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void validation_accepts_the_right_answer_and_refuses_a_wrong_one(Workload w) throws Exception {
        try (WorkloadInstance instance = prepare(w, Map.of())) {
            List<Object> right = answer(w, instance);
            instance.validate(right);

            var changed = new ArrayList<>(right);
            changed.set(0, wrong(right.get(0)));
            assertThatThrownBy(() -> instance.validate(changed)).as(w.id() + " with a wrong first result")
                    .isInstanceOf(WrongResultException.class);

            var missing = new ArrayList<>(right.subList(0, right.size() - 1));
            if (right.size() > 1) {
                assertThatThrownBy(() -> instance.validate(missing)).as(w.id() + " with a result missing")
                        .isInstanceOf(WrongResultException.class);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vector-add", "contended-counter"})
    void where_the_answer_is_shared_state_a_reset_before_validation_is_refused(String id) throws Exception {
        Workload w = Catalog.workload(id);
        try (WorkloadInstance instance = prepare(w, Map.of())) {
            List<Object> right = answer(w, instance);
            instance.reset();
            assertThatThrownBy(() -> instance.validate(right)).isInstanceOf(WrongResultException.class);
        }
    }

    private static long ideal(String id, Map<String, Object> params) throws Exception {
        try (WorkloadInstance instance = prepare(Catalog.workload(id), params)) {
            return instance.idealNanos(HAND_MADE);
        }
    }

    @org.junit.jupiter.api.Test
    void each_ideal_follows_its_formula_on_a_hand_made_case() throws Exception {
        // sleep-io and pinned-io: ceil(N / k) × d = ceil(10 / 3) × 100 ms
        assertThat(ideal("sleep-io", Map.of("tasks", 10L, "latencyMs", 100L))).isEqualTo(400_000_000L);
        assertThat(ideal("pinned-io", Map.of("tasks", 10L, "latencyMs", 100L))).isEqualTo(400_000_000L);
        // http-io: k requests in flight at a time, as sleep-io
        assertThat(ideal("http-io", Map.of("tasks", 10L, "latencyMs", 50L))).isEqualTo(200_000_000L);
        // CPU-bound: T₁ ÷ min(tasks, P)
        assertThat(ideal("cpu-sum", Map.of("workers", 8L, "count", 10L))).isEqualTo(T1 / 2);
        assertThat(ideal("cpu-sum", Map.of("workers", 1L, "count", 10L))).isEqualTo(T1);
        assertThat(ideal("vector-add", Map.of("length", 1000L, "chunks", 8L))).isEqualTo(T1 / 2);
        assertThat(ideal("dot-product", Map.of("length", 1000L, "chunks", 1L))).isEqualTo(T1);
        assertThat(ideal("image-resize", Map.of("images", 4L, "width", 40L, "height", 20L, "outWidth", 10L, "outHeight", 5L)))
                .isEqualTo(T1 / 2);
        // factorial-gather: the longest task's waits, tasks × waitMs
        assertThat(ideal("factorial-gather", Map.of("tasks", 3L, "waitMs", 20L))).isEqualTo(60_000_000L);
        // contended-counter: one counter, no speed-up: T₁
        assertThat(ideal("contended-counter", Map.of())).isEqualTo(T1);
        // spawn has no ideal (its figure is a cost per task)
        assertThat(ideal("spawn", Map.of())).isNegative();
        // producer-consumer measures the slower side's rate on this machine: a positive time below a second here
        assertThat(ideal("producer-consumer", Map.of("items", 10_000L))).isPositive().isLessThan(1_000_000_000L);
    }
}
