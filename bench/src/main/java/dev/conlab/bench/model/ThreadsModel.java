package dev.conlab.bench.model;

import dev.conlab.bench.Model;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

/** A new platform thread per task, then join: Python's {@code threading.Thread}. */
public final class ThreadsModel implements Model {

    @Override
    public String id() {
        return "threads";
    }

    @Override
    public String summary() {
        return "A new platform Thread per task, started together, then joined.";
    }

    @Override
    public String colour() {
        return "#2563eb";
    }

    @Override
    public int displayOrder() {
        return 20;
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        return instance.taskCount();
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Model.Context context) throws Exception {
        int n = instance.taskCount();
        Object[] results = new Object[n];
        Exception[] failures = new Exception[n];
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            threads[i] = new Thread(() -> {
                try {
                    results[index] = instance.runTask(index);
                } catch (Exception e) {
                    failures[index] = e;
                }
            }, "task-" + i);
            threads[i].start();
        }
        for (Thread t : threads) t.join();
        for (Exception e : failures) {
            if (e != null) throw e;
        }
        return Execution.inProcess(Tasks.list(results));
    }
}
