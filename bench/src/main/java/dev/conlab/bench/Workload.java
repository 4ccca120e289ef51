package dev.conlab.bench;

import java.util.List;

/**
 * A kind of work, measured under every model. One final class per workload with a public no-argument
 * constructor, registered by a line in {@code META-INF/services/dev.conlab.bench.Workload} (see {@link Catalog}). The workload is plain Java; set-up and validation stay outside the timed region.
 */
public interface Workload {

    /** kebab-case id, e.g. {@code sleep-io}. */
    String id();

    /** One sentence. */
    String summary();

    /** Typed parameters with their smoke / default / seed values. */
    List<Param> params();

    /**
     * True when its time depends on how many cores run it (computation, memory traffic, hand-offs): across machines
     * with different core counts such cells measure the hardware, and comparisons say so.
     */
    default boolean cpuBound() {
        return false;
    }

    /**
     * True when its ideal is computed from the one-thread time T₁ ({@link IdealContext#oneThreadNanos()}): the run then
     * measures T₁ for it once, by the baseline model's code path in its own fork(s), before its other cells.
     */
    default boolean idealUsesOneThreadTime() {
        return false;
    }

    /**
     * What the {@code scaling} suite sweeps in this workload on a machine with {@code processors} processors (tasks for
     * waiting work, workers or chunks from 1 to 4 × P for CPU work), or null to measure it at the default size only.
     */
    default Scaling scaling(int processors) {
        return null;
    }

    /** Where it appears in lists (smaller first); workloads that do not say come after the built-in ones, by id. */
    default int displayOrder() {
        return 1000;
    }

    /**
     * Builds the inputs (outside the timed region). In a {@code processes} child, {@code env.child()} is
     * true and {@code env.shared()} holds what the parent's instance shared; the child must not start
     * servers or other shared resources of its own.
     */
    WorkloadInstance prepare(Params params, Env env) throws Exception;

    /**
     * Why this workload cannot run under the given model at all (not a JDK matter), or {@code null} if it
     * can: e.g. tasks that share one in-memory counter cannot run in separate JVMs.
     */
    default String incompatibility(Model model, Params params, int concurrency) {
        return null;
    }

    /** Facts the instance is built from. */
    record Env(int processors, boolean child, java.util.Map<String, String> shared) {
        public static Env parent(int processors) {
            return new Env(processors, false, java.util.Map.of());
        }
    }
}
