package dev.conlab.bench;

import java.util.List;

/**
 * A concurrency model: a way to run a workload's tasks. One final class per model, registered by a line in
 * {@code META-INF/services/dev.conlab.bench.Model} (see {@link Catalog}). Creating and shutting down the model's threads, pools or processes is part of the
 * timed region, as it is for the programs the lab compares.
 */
public interface Model {

    /** kebab-case id, e.g. {@code virtual-threads}. */
    String id();

    /** One sentence. */
    String summary();

    default List<Param> params() {
        return List.of();
    }

    /** The colour used when a model has none of its own. */
    String UNKNOWN_COLOUR = "#374151";

    /** Its colour on every chart and table, as {@code #rrggbb}. */
    default String colour() {
        return UNKNOWN_COLOUR;
    }

    /** Where it appears in lists (smaller first); models that do not say come after the built-in ones, by id. */
    default int displayOrder() {
        return 1000;
    }

    /**
     * True for the one model every speedup is measured against and whose code path gives the one-thread time T₁
     * ({@code sequential}).
     */
    default boolean baseline() {
        return false;
    }

    /** Why this model cannot run on this JVM (e.g. virtual threads on JDK 17), or {@code null}. */
    default String unsupportedReason() {
        return null;
    }

    /** How many of the instance's tasks run at once when they block (k in the ideal times). */
    int concurrency(WorkloadInstance instance, Params params, int processors);

    /**
     * True when the model adds threads while tasks block in {@code java.util.concurrent} synchronizers
     * (ForkJoinPool's managed blocking): then tasks that wait for each other cannot deadlock it even when
     * {@link #concurrency} is smaller than the number of tasks. {@code Thread.sleep} does not trigger it.
     */
    default boolean addsThreadsWhenTasksBlock() {
        return false;
    }

    /** True when its tasks run on virtual threads: the harness then counts pinned virtual threads (JDK 21+). */
    default boolean usesVirtualThreads() {
        return false;
    }

    /** True when tasks run in other JVMs and cannot share this JVM's memory. */
    default boolean separateMemory() {
        return false;
    }

    /** Runs every task of the instance once and returns their results in task order. */
    Execution execute(WorkloadInstance instance, Params params, Context context) throws Exception;

    /**
     * What a model may need besides the instance.
     *
     * @param processors     available processors of the measuring JVM (P)
     * @param workload       the workload (a child JVM rebuilds the instance from its class)
     * @param workloadParams the workload's resolved parameters
     */
    record Context(int processors, Workload workload, Params workloadParams) {
    }

    /**
     * @param results        task results, index order
     * @param childCpuNanos  CPU time spent in child processes during the execution, or -1 if there were none
     */
    record Execution(List<Object> results, long childCpuNanos) {
        public static Execution inProcess(List<Object> results) {
            return new Execution(results, -1);
        }
    }
}
