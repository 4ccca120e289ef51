package dev.conlab.server.http;

import io.javalin.http.Context;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A graceful stop's first half: once {@link #stop()} is called every new request is refused with 503 (nothing of it is
 * written, so nothing is acknowledged and lost), while the writes already in flight — uploads, queued runs, shares, an
 * agent's reports — finish and are answered. {@link #await} waits for them. Reads and an agent's long-polled claim are not
 * waited for: they write nothing a client was promised.
 */
public final class Draining {

    private static final String COUNTED = "conlab.draining.counted";

    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean stopping;

    /** Before every request: refused once stopping; a write is counted until it has been answered. */
    public void before(Context ctx) {
        if (stopping) {
            ctx.header("Retry-After", "10");
            throw new HttpError(503, "the server is stopping; nothing of this request was stored: send it again when it is back");
        }
        if (!counts(ctx)) return;
        synchronized (lock) {
            inFlight++;
        }
        ctx.attribute(COUNTED, Boolean.TRUE);
    }

    /** After every request (answered or refused). */
    public void after(Context ctx) {
        if (!Boolean.TRUE.equals(ctx.attribute(COUNTED))) return;
        ctx.attribute(COUNTED, null);
        synchronized (lock) {
            inFlight--;
            lock.notifyAll();
        }
    }

    private static boolean counts(Context ctx) {
        String method = ctx.method().name();
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS") && !ctx.path().endsWith("/claim");
    }

    /** From now on, every new request is refused. */
    public void stop() {
        stopping = true;
    }

    /** Waits until the writes in flight have been answered, at most {@code max}; returns how many are still running. */
    public int await(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return inFlight;
        }
    }
}
