package dev.conlab.bench.model;

import dev.conlab.bench.Model;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

/**
 * {@code Executors.newVirtualThreadPerTaskExecutor()} — JDK 21+. This base class is what JDK 17 to 20 load:
 * it reports the cell unsupported. The JDK 21 overlay ({@code src/main/java21}, in the multi-release jar)
 * replaces it.
 */
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
    public String unsupportedReason() {
        return "virtual threads need JDK 21 or newer; this JVM is " + Runtime.version().feature();
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        return instance.taskCount();
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Model.Context context) {
        throw new UnsupportedOperationException(unsupportedReason());
    }
}
