package dev.conlab.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread, non-blocking: the asyncio analog. Work submitted here runs on the loop thread; waits are
 * timers ({@link #delay}); I/O completes through callbacks that the loop runs.
 */
public final class EventLoop implements Executor, AutoCloseable {

    private final ScheduledThreadPoolExecutor loop;
    private volatile Thread loopThread;

    public EventLoop() {
        loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "event-loop");
            t.setDaemon(true);
            loopThread = t;
            return t;
        });
        loop.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void execute(Runnable command) {
        loop.execute(command);
    }

    /** A future completed on the loop thread after {@code millis}, without blocking any thread. */
    public CompletableFuture<Void> delay(long millis) {
        var done = new CompletableFuture<Void>();
        loop.schedule(() -> done.complete(null), millis, TimeUnit.MILLISECONDS);
        return done;
    }

    public boolean inLoop() {
        return Thread.currentThread() == loopThread;
    }

    @Override
    public void close() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(10, TimeUnit.SECONDS);
    }
}
