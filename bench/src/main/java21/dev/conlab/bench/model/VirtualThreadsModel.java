package dev.conlab.bench.model;

import dev.conlab.bench.Model;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@code Executors.newVirtualThreadPerTaskExecutor()}: the JDK 21+ overlay of the multi-release jar. */
public final class VirtualThreadsModel implements Model {

    @Override
    public String id() {
        return "virtual-threads";
    }

    @Override
    public String summary() {
        return "Executors.newVirtualThreadPerTaskExecutor(): a virtual thread per task (JDK 21+).";
    }

    @Override
    public String colour() {
        return "#dc2626";
    }

    @Override
    public int displayOrder() {
        return 80;
    }

    @Override
    public boolean usesVirtualThreads() {
        return true;
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        return instance.taskCount();
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Model.Context context) throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            return Execution.inProcess(Tasks.join(executor.invokeAll(Tasks.callables(instance))));
        }
    }
}
