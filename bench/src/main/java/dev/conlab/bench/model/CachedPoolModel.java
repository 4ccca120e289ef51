package dev.conlab.bench.model;

import dev.conlab.bench.Model;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** {@code Executors.newCachedThreadPool()}: grows a thread for every task that finds no idle one. */
public final class CachedPoolModel implements Model {

    @Override
    public String id() {
        return "cached-pool";
    }

    @Override
    public String summary() {
        return "Executors.newCachedThreadPool(): a new thread whenever no idle one is free.";
    }

    @Override
    public String colour() {
        return "#0891b2";
    }

    @Override
    public int displayOrder() {
        return 40;
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        return instance.taskCount();
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Model.Context context) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            return Execution.inProcess(Tasks.join(pool.invokeAll(Tasks.callables(instance))));
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
