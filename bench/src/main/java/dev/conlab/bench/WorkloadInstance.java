package dev.conlab.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One prepared workload: a fixed list of tasks that a model runs. Everything except {@link #runTask} and
 * {@link #runTaskAsync} runs outside the timed region.
 */
public interface WorkloadInstance extends AutoCloseable {

    int taskCount();

    /** Runs task {@code i} on the calling thread, blocking as the work requires; returns its result. */
    Object runTask(int i) throws Exception;

    /**
     * The non-blocking form, for the {@code event-loop} model: called on the loop thread, must not block
     * it except for CPU work. The default runs the blocking form inline, as blocking code on a loop does.
     */
    default CompletableFuture<Object> runTaskAsync(int i, EventLoop loop) {
        try {
            return CompletableFuture.completedFuture(runTask(i));
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    /**
     * True when a blocking task waits on a {@code java.util.concurrent} future ({@code HttpClient.send} waits on a
     * {@code CompletableFuture}): a ForkJoinPool worker blocked there is compensated with a new thread (managed
     * blocking), so a ForkJoin-based model runs up to every task at once however small its parallelism. Not so for
     * {@code Thread.sleep}, which the pool does not see.
     */
    default boolean blocksOnFutures() {
        return false;
    }

    /** True when {@link #runTaskAsync} waits without blocking the loop (timers, async I/O). */
    default boolean nonBlockingAsync() {
        return false;
    }

    /**
     * The per-task latencies this instance records (its tasks call {@link TaskLatencies#completed()}), or null: waiting
     * workloads record them, where a task's latency is the point; tasks run in a {@code processes} child record nothing.
     */
    default TaskLatencies latencies() {
        return null;
    }

    /** Called before every iteration, outside the timed region (clear outputs, reset counters). */
    default void reset() {
    }

    /**
     * Checks the results of one iteration (index order) outside the timed region.
     *
     * @throws WrongResultException when the work produced a wrong answer
     */
    void validate(List<Object> results) throws WrongResultException;

    /** What a {@code processes} child sends back for task i (default: the task's result). */
    default Object exportResult(int i, Object taskResult) {
        return taskResult;
    }

    /** What the parent makes of a child's exported result (default: as is). Runs in the timed region. */
    default Object importResult(int i, Object exported) {
        return exported;
    }

    /** Facts a {@code processes} child needs to rebuild this instance (e.g. the loopback server's port). */
    default Map<String, String> sharedWithChildren() {
        return Map.of();
    }

    /**
     * The physical limit of this cell in nanoseconds, or a negative number if it has none (then efficiency
     * is not reported). See CATALOG.md.
     */
    long idealNanos(IdealContext context);

    /** How {@link #idealNanos} is computed, one short formula for readers of the result. */
    String idealFormula();

    /**
     * Runs all tasks once on this thread the simplest way; its median time is T₁ for CPU-bound ideals.
     * Called only when {@link #idealNanos} asks for T₁.
     */
    default void runOneThread() throws Exception {
        for (int i = 0; i < taskCount(); i++) runTask(i);
    }

    @Override
    default void close() throws Exception {
    }
}
