package dev.conlab.api;

import java.util.List;
import java.util.Map;

/**
 * One kind of your own work, measured by Concurrency Lab under every concurrency model: the lab calls {@link #run} once
 * per unit of work — the thing the models schedule (a thread per unit, a pool, virtual threads, an event loop, separate
 * JVMs) — {@code tasks} times per iteration, in fresh JVMs, with warm-ups, the one-thread time T₁, the ideal and
 * intervals, as it measures its own workloads.
 *
 * <p>Register an implementation by a line with its class name in {@code META-INF/services/dev.conlab.api.Task} of your
 * jar (or name it with {@code conlab run --task CLASS}); it needs a public no-argument constructor. One instance per
 * worker JVM: {@link #setup} once, then {@code run} from many threads at once — it must be safe for that.
 *
 * <pre>{@code
 * public final class Lookup implements Task {
 *     public Object run(int index) throws Exception {
 *         Thread.sleep(20);          // your blocking call here
 *         return index;
 *     }
 * }
 * }</pre>
 *
 * These names are fixed: tasks written against them keep working.
 */
public interface Task {

    /**
     * One unit of the work, timed: called for index 0 … tasks − 1 in every iteration, from the model's threads.
     *
     * @return its result, handed to {@link #check} (in a separate-JVM model it must be {@link java.io.Serializable})
     * @throws Exception any failure: the cell ends {@code failed} with its class and message, and the run goes on
     */
    Object run(int index) throws Exception;

    /**
     * Untimed, once per worker JVM before the first iteration: the run's values of every parameter of
     * {@link #parameters()} ({@code tasks} and your own). Open connections, build inputs, start servers here.
     */
    default void setup(Map<String, Long> parameters) throws Exception {
    }

    /**
     * Untimed, after every iteration: the iteration's results in index order. Throw to fail the cell: it ends
     * {@code failed} with "wrong result: " and your exception's message.
     */
    default void check(List<Object> results) throws Exception {
    }

    /** Untimed, once when the worker is done with the task (close what {@link #setup} opened). */
    default void close() throws Exception {
    }

    /** The task's id, kebab-case, unique among the lab's workloads: by default the class's simple name ({@code MyLookup} → {@code my-lookup}). */
    default String id() {
        String name = getClass().getSimpleName();
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** One sentence saying what a unit does. */
    default String summary() {
        return "A task of yours (" + getClass().getName() + ").";
    }

    /**
     * The whole-number parameters and their defaults, {@code tasks} (the units per iteration) among them: each can be set
     * or swept with {@code -p ID.NAME=…} as the lab's own parameters. By default {@code tasks} = 100 and no other.
     */
    default Map<String, Long> parameters() {
        return Map.of(TASKS, 100L);
    }

    /** The kind of work, when you know it; null (the default) lets the lab learn it from T₁'s CPU time ÷ wall time. */
    default Kind kind() {
        return null;
    }

    /** The name of the parameter every task has: the units per iteration. */
    String TASKS = "tasks";

    /** What a unit mostly does, which decides the ideal time it is measured against. */
    enum Kind {
        /** It waits (I/O, sleeps, locks held by others): every unit could run at once; the ideal is one unit's time. */
        WAITING,
        /** It computes: at most one unit per processor at once; the ideal is T₁ ÷ min(tasks, P). */
        CPU,
        /** Both: its CPU part shares the processors, its waiting overlaps. */
        MIXED
    }
}
