package dev.conlab.bench.model;

import dev.conlab.bench.WorkloadInstance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Small helpers the models share. */
final class Tasks {

    private Tasks() {
    }

    static List<Callable<Object>> callables(WorkloadInstance instance) {
        int n = instance.taskCount();
        var list = new ArrayList<Callable<Object>>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            list.add(() -> instance.runTask(index));
        }
        return list;
    }

    /** Waits for every future in order; rethrows the first task failure with its own cause. */
    static List<Object> join(List<? extends Future<Object>> futures) throws Exception {
        var results = new ArrayList<Object>(futures.size());
        for (Future<Object> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                throw unwrap(e);
            }
        }
        return results;
    }

    /**
     * The task's own failure inside the wrappers that executors, futures and {@link #call} put around it
     * ({@code ExecutionException}, {@code CompletionException}, {@link TaskFailure}); an Error is rethrown.
     */
    static Exception unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException
                || cause instanceof TaskFailure) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof Exception e) return e;
        if (cause instanceof Error err) throw err;
        return new RuntimeException(cause);
    }

    /** Runs a task, turning a checked exception into an unchecked one for lambdas that cannot throw. */
    static Object call(WorkloadInstance instance, int i) {
        try {
            return instance.runTask(i);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new TaskFailure(e);
        }
    }

    static int orProcessors(long value, int processors) {
        return value <= 0 ? processors : Math.toIntExact(value);
    }

    static List<Object> list(Object[] results) {
        return Arrays.asList(results);
    }

    /** Carries a task's checked exception through code that only allows unchecked ones. */
    static final class TaskFailure extends RuntimeException {
        TaskFailure(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
