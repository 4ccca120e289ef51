package dev.conlab.bench.model;

import dev.conlab.bench.Model;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** {@code Executors.newFixedThreadPool(k)}: Python's ThreadPoolExecutor with a fixed size. */
public final class FixedPoolModel implements Model {

    @Override
    public String id() {
        return "fixed-pool";
    }

    @Override
    public String summary() {
        return "Executors.newFixedThreadPool(k), k = available processors unless set.";
    }

    @Override
    public String colour() {
        return "#16a34a";
    }

    @Override
    public int displayOrder() {
        return 30;
    }

    @Override
    public List<Param> params() {
        return List.of(Param.integerOrProcessors("threads", "Pool size k", 100_000));
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        return Math.min(instance.taskCount(), Tasks.orProcessors(params.longValue("threads"), processors));
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Model.Context context) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Tasks.orProcessors(params.longValue("threads"), context.processors()));
        try {
            return Execution.inProcess(Tasks.join(pool.invokeAll(Tasks.callables(instance))));
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
