package dev.conlab.bench.model;

import dev.conlab.bench.Model;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * {@code supplyAsync} without an executor, then {@code allOf}: the way most code writes it. Its default
 * executor depends on the JDK: up to JDK 24, a new thread per task when the common pool's parallelism is
 * below 2 (P ≤ 2); from JDK 25 always the common pool, whose parallelism is P − 1. See docs/FINDINGS.md.
 */
public final class CompletableFutureModel implements Model {

    @Override
    public String id() {
        return "completable-future";
    }

    @Override
    public String summary() {
        return "supplyAsync without an executor, joined with allOf (the default executor differs by JDK and P).";
    }

    @Override
    public String colour() {
        return "#ea580c";
    }

    @Override
    public int displayOrder() {
        return 70;
    }

    /** The executor {@code supplyAsync(Supplier)} uses on this JVM. */
    static Executor defaultExecutor() {
        return new CompletableFuture<Object>().defaultExecutor();
    }

    @Override
    public boolean addsThreadsWhenTasksBlock() {
        return defaultExecutor() instanceof ForkJoinPool;
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        if (defaultExecutor() instanceof ForkJoinPool pool) {
            return Math.min(instance.taskCount(), pool.getParallelism());
        }
        return instance.taskCount();
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Model.Context context) throws Exception {
        int n = instance.taskCount();
        var futures = new ArrayList<CompletableFuture<Object>>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(CompletableFuture.supplyAsync(() -> Tasks.call(instance, index)));
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            throw Tasks.unwrap(e);
        }
        return Execution.inProcess(Tasks.join(futures));
    }
}
