package dev.conlab.bench.model;

import dev.conlab.bench.Model;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/** {@code IntStream.range(0, n).parallel()} on the common pool (P − 1 workers plus the caller): Python's {@code pool.map}. */
public final class ParallelStreamModel implements Model {

    @Override
    public String id() {
        return "parallel-stream";
    }

    @Override
    public String summary() {
        return "A parallel stream over the tasks on the common ForkJoinPool (P - 1 workers plus the calling thread).";
    }

    @Override
    public String colour() {
        return "#c026d3";
    }

    @Override
    public int displayOrder() {
        return 60;
    }

    @Override
    public boolean addsThreadsWhenTasksBlock() {
        return true;
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        return Math.min(instance.taskCount(), ForkJoinPool.getCommonPoolParallelism() + 1);
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Model.Context context) throws Exception {
        try {
            List<Object> results = IntStream.range(0, instance.taskCount()).parallel()
                    .mapToObj(i -> Tasks.call(instance, i))
                    .toList();
            return Execution.inProcess(results);
        } catch (RuntimeException e) {
            throw Tasks.unwrap(e);
        }
    }
}
