package dev.conlab.bench.model;

import dev.conlab.bench.Model;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;

/** A {@code ForkJoinPool(P)}; the task range is split in halves by a {@code RecursiveAction} (work stealing). */
public final class ForkJoinModel implements Model {

    @Override
    public String id() {
        return "fork-join";
    }

    @Override
    public String summary() {
        return "A ForkJoinPool(P); the task range is split in halves by RecursiveAction, idle workers steal.";
    }

    @Override
    public String colour() {
        return "#9333ea";
    }

    @Override
    public int displayOrder() {
        return 50;
    }

    @Override
    public List<Param> params() {
        return List.of(Param.integerOrProcessors("parallelism", "Pool parallelism", 32_767));
    }

    @Override
    public boolean addsThreadsWhenTasksBlock() {
        return true;
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        return Math.min(instance.taskCount(), Tasks.orProcessors(params.longValue("parallelism"), processors));
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Model.Context context) throws Exception {
        Object[] results = new Object[instance.taskCount()];
        ForkJoinPool pool = new ForkJoinPool(Tasks.orProcessors(params.longValue("parallelism"), context.processors()));
        try {
            pool.invoke(new Split(instance, results, 0, results.length));
        } catch (RuntimeException e) {
            throw Tasks.unwrap(e);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        return Execution.inProcess(Tasks.list(results));
    }

    private static final class Split extends RecursiveAction {
        private final WorkloadInstance instance;
        private final Object[] results;
        private final int from;
        private final int to;

        Split(WorkloadInstance instance, Object[] results, int from, int to) {
            this.instance = instance;
            this.results = results;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                results[from] = Tasks.call(instance, from);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Split(instance, results, from, mid), new Split(instance, results, mid, to));
        }
    }
}
