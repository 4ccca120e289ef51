package dev.conlab.bench.machine;

import dev.conlab.bench.MachineState.Capacity;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * How much CPU the machine gives right now: a fixed integer kernel (a xorshift chain, no memory traffic) timed on one
 * thread, then on P threads at once, each the same number of steps; the effective parallelism is P × the fastest one-thread
 * time this process has seen ÷ the time of all P at once — how many CPUs at full speed the P threads got: 2.0 on two whole
 * CPUs; 1.0 when other work takes one (the one-thread time of the same probe would be slowed by it too, which is why the
 * reference is the fastest ever seen). Runs in the supervisor, between forks, never beside a measured worker.
 * Three pairs (one thread, then P) spaced 10 ms apart, each timing about 3.5 ms on this project's machine: about 45 ms a
 * probe, 25 ms of it busy; each time is the fastest of its three. The fastest, not the median: a moment's interruption (a
 * compiler thread of the supervisor, seen to take the second CPU for 30 ms) must not read as a machine that lost a CPU; a
 * sustained change slows all three.
 */
public final class CapacityProbe {

    /** Steps of the kernel per thread and timing: about 3.5 ms on a 2020s x86 core. */
    public static final long STEPS = 2_000_000;
    public static final int REPEATS = 3;
    private static final long PAUSE_MILLIS = 10;

    private static volatile long sink;
    private static volatile boolean warm;

    private final int threads;
    private long fastestOne = Long.MAX_VALUE;

    public CapacityProbe(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be 1 or more");
        this.threads = threads;
    }

    /** For this process's CPUs. */
    public static CapacityProbe forThisMachine() {
        return new CapacityProbe(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * Measures once. The first call in a process first warms up: the JIT compiles the kernel, and a JVM's own compiler and
     * GC threads, busy for its first second or so, would otherwise take the second CPU from the probe (seen here: 1.0 of 2
     * for the first two probes of a fresh JVM, 1.9 after). Pairs are timed until two in a row agree within 10 % (0.3–0.6 s, once).
     */
    public Capacity measure() {
        warmUp();
        long one = Long.MAX_VALUE, all = Long.MAX_VALUE;
        for (int r = 0; r < REPEATS; r++) {
            if (r > 0) pause();
            one = Math.min(one, timeOne());
            all = Math.min(all, timeAll());
        }
        long reference = reference(one);
        double parallelism = threads * (double) reference / Math.max(1, all);
        return new Capacity(threads, STEPS, REPEATS, one, all, reference, Math.round(parallelism * 1000) / 1000.0, Instant.now().toString());
    }

    /** The fastest one-thread time this process has seen: the machine's speed with nothing else on it. */
    private synchronized long reference(long one) {
        if (one < fastestOne) fastestOne = one;
        return fastestOne;
    }

    /** The pairs are spaced so that one burst of something else (a compiler thread of the supervisor) cannot cover them all. */
    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void warmUp() {
        if (warm) return;
        for (int i = 0; i < 60; i++) sink += kernel(STEPS / 4, i + 1);
        long start = System.nanoTime();
        double previous = -1;
        while (System.nanoTime() - start < 600_000_000L) {
            long one = timeOne();
            reference(one);
            double now = threads * (double) one / Math.max(1, timeAll());
            if (System.nanoTime() - start > 300_000_000L && previous > 0 && Math.abs(now - previous) <= 0.1 * previous) break;
            previous = now;
        }
        warm = true;
    }

    /** The kernel: a dependent chain of shifts and xors, summed; compiled code of a few instructions a step. */
    static long kernel(long steps, long seed) {
        long x = seed | 1;
        long acc = 0;
        for (long i = 0; i < steps; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            acc += x & 0xff;
        }
        return acc;
    }

    private static long timeOne() {
        long t0 = System.nanoTime();
        sink += kernel(STEPS, t0);
        return System.nanoTime() - t0;
    }

    /** All threads at once: from the first thread's start to the last one's finish. */
    private long timeAll() {
        long[] starts = new long[threads];
        long[] ends = new long[threads];
        CountDownLatch go = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int k = i;
            workers[i] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                starts[k] = System.nanoTime();
                long result = kernel(STEPS, starts[k] + k);
                ends[k] = System.nanoTime();
                sink += result;
            }, "conlab-capacity-probe");
            workers[i].setDaemon(true);
            workers[i].start();
        }
        go.countDown();
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long first = Arrays.stream(starts).min().orElse(0);
        long last = Arrays.stream(ends).max().orElse(0);
        return last - first;
    }
}
