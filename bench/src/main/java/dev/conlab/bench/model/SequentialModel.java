package dev.conlab.bench.model;

import dev.conlab.bench.Model;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

import java.util.ArrayList;

/** One thread, one task after another: the serial loop of the source articles. */
public final class SequentialModel implements Model {

    @Override
    public String id() {
        return "sequential";
    }

    @Override
    public String summary() {
        return "One thread, one task after another (the serial loop).";
    }

    @Override
    public String colour() {
        return "#6b7280";
    }

    @Override
    public int displayOrder() {
        return 10;
    }

    @Override
    public boolean baseline() {
        return true;
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        return 1;
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Model.Context context) throws Exception {
        var results = new ArrayList<Object>(instance.taskCount());
        for (int i = 0; i < instance.taskCount(); i++) results.add(instance.runTask(i));
        return Execution.inProcess(results);
    }
}
