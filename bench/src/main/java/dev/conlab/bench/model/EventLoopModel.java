package dev.conlab.bench.model;

import dev.conlab.bench.EventLoop;
import dev.conlab.bench.Model;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One thread, non-blocking: every task starts on the loop thread; waits are timers, I/O is asynchronous,
 * CPU work runs inline. The asyncio (uvloop) analog. Workloads without a non-blocking form block the loop,
 * as blocking calls do in asyncio.
 */
public final class EventLoopModel implements Model {

    @Override
    public String id() {
        return "event-loop";
    }

    @Override
    public String summary() {
        return "One thread, non-blocking: timers for waits, async HTTP for I/O, CPU work inline (the asyncio analog).";
    }

    @Override
    public String colour() {
        return "#ca8a04";
    }

    @Override
    public int displayOrder() {
        return 90;
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        return instance.nonBlockingAsync() ? instance.taskCount() : 1;
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Model.Context context) throws Exception {
        int n = instance.taskCount();
        try (EventLoop loop = new EventLoop()) {
            CompletableFuture<List<CompletableFuture<Object>>> started = new CompletableFuture<>();
            loop.execute(() -> {
                var futures = new ArrayList<CompletableFuture<Object>>(n);
                try {
                    for (int i = 0; i < n; i++) futures.add(instance.runTaskAsync(i, loop));
                    started.complete(futures);
                } catch (Throwable t) {
                    started.completeExceptionally(t);
                }
            });
            List<CompletableFuture<Object>> futures;
            try {
                futures = started.join();
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
            } catch (RuntimeException e) {
                throw Tasks.unwrap(e);
            }
            return Execution.inProcess(Tasks.join(futures));
        }
    }
}
