package dev.conlab.bench.machine;

import dev.conlab.bench.MachineState;
import dev.conlab.bench.MachineState.Capacity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One fork's window: opened at its first iteration (a warm-up's: disturbance then shapes the JIT's decisions too), followed at each of the worker's events and every
 * 250 ms by a sampler thread, closed by {@link #end()}. The worker tree's CPU is read per process (a worker that replaces a
 * crashed one in the same fork counts from zero: it started inside the window).
 */
public final class ForkWindow {

    private static final long SAMPLE_MILLIS = 250;

    /** The window of a monitor that is off: it records nothing. */
    static final ForkWindow OFF = new ForkWindow(null, null, null, null);

    private final ProcFiles proc;
    private final Set<Integer> cpus;
    private final Capacity before;
    private final Supplier<Capacity> probeAfter;

    /** Per worker process: its tree's ticks when first seen in the window, and at the latest reading. */
    private final Map<Long, long[]> workerTicks = new LinkedHashMap<>();
    private boolean open;
    private boolean unreadableWorker;
    private long openedAt;
    private long lastAt;
    private ProcFiles.CpuTicks firstCpu;
    private ProcFiles.CpuTicks lastCpu;
    private Long firstSelf;
    private Long lastSelf;
    private Long firstPressure;
    private Long lastPressure;
    private ProcFiles.Throttling firstThrottle;
    private ProcFiles.Throttling lastThrottle;
    private Double loadBefore;
    private Double mhzFirst;
    private final List<Sample> samples = new ArrayList<>();
    private Thread sampler;
    private volatile long currentPid = -1;

    ForkWindow(ProcFiles proc, Set<Integer> cpus, Capacity before, Supplier<Capacity> probeAfter) {
        this.proc = proc;
        this.cpus = cpus;
        this.before = before;
        this.probeAfter = probeAfter;
    }

    private record Sample(long at, long busy, long total, Long tree, long self, long pid, Integer running) {
    }

    /**
     * The worker {@code pid} reported something; {@code measuring}: its iterations have begun (the window opens at the first
     * such report). Reads the machine and the worker tree now, so that the window ends at the last report of a
     * live worker.
     */
    public synchronized void observe(long pid, boolean measuring) {
        if (proc == null) return;
        if (!open && !measuring) return;
        currentPid = pid;
        if (!proc.available()) {
            if (!open) {
                open = true;
                openedAt = System.nanoTime();
            }
            lastAt = System.nanoTime();
            return;
        }
        ProcFiles.CpuTicks cpu = proc.cpuTicks(cpus);
        Long tree = proc.treeTicks(pid);
        long now = System.nanoTime();
        if (!open) {
            open = true;
            openedAt = now;
            firstCpu = cpu;
            firstSelf = proc.selfTicks();
            firstPressure = proc.cpuPressureSomeMicros();
            firstThrottle = proc.throttling();
            loadBefore = proc.load1();
            mhzFirst = proc.meanMhz(cpus);
            if (tree != null) workerTicks.put(pid, new long[] {tree, tree});
            startSampler();
        } else if (tree != null) {
            // a worker first seen inside the window (it replaced a crashed one) started inside it: all its ticks count
            workerTicks.computeIfAbsent(pid, p -> new long[] {0, 0})[1] = tree;
        }
        if (tree == null && !workerTicks.containsKey(pid)) unreadableWorker = true;
        lastAt = now;
        lastCpu = cpu;
        lastSelf = proc.selfTicks();
        lastPressure = proc.cpuPressureSomeMicros();
        lastThrottle = proc.throttling();
        samples.add(new Sample(now, cpu == null ? 0 : cpu.busy(), cpu == null ? 0 : cpu.total(), tree, lastSelf == null ? 0 : lastSelf, pid,
                proc.procsRunning()));
    }

    private void startSampler() {
        sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(SAMPLE_MILLIS);
                    sample();
                }
            } catch (InterruptedException e) {
                // the window closed
            }
        }, "conlab-machine-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private synchronized void sample() {
        if (!open || sampler == null) return;
        long pid = currentPid;
        ProcFiles.CpuTicks cpu = proc.cpuTicks(cpus);
        Long tree = proc.treeTicks(pid);
        if (cpu == null) return;
        Long self = proc.selfTicks();
        samples.add(new Sample(System.nanoTime(), cpu.busy(), cpu.total(), tree, self == null ? 0 : self, pid, proc.procsRunning()));
    }

    /**
     * The machine over the stretch since the window opened (or since the last cut) — one cell of a worker that measures
     * several, just ended — without a probe after it (the worker goes straight on to its next cell); the next stretch starts
     * now. Null from a monitor that is off.
     */
    public synchronized MachineState cut(long pid) {
        if (proc == null) return null;
        observe(pid, true);
        if (!proc.available()) {
            return MachineMonitor.unmeasured(before, null, "no /proc/stat on this OS (" + System.getProperty("os.name")
                    + "): only the capacity probes are measured");
        }
        MachineState stretch = state(null);
        // the next stretch starts where this one ended
        openedAt = lastAt;
        firstCpu = lastCpu;
        firstSelf = lastSelf;
        firstPressure = lastPressure;
        firstThrottle = lastThrottle;
        loadBefore = proc.load1();
        for (long[] t : workerTicks.values()) t[0] = t[1];
        Sample tail = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        samples.clear();
        if (tail != null) samples.add(tail);
        return stretch;
    }

    /** Closes the window, probes the capacity again and returns the fork's machine; null from a monitor that is off. */
    public MachineState end() {
        if (proc == null) return null;
        abandon();
        Capacity after = probeAfter.get();
        synchronized (this) {
            if (!open) return MachineMonitor.unmeasured(before, after, "the fork measured nothing (no measured iteration began)");
            if (!proc.available()) {
                return MachineMonitor.unmeasured(before, after, "no /proc/stat on this OS (" + System.getProperty("os.name")
                        + "): only the capacity probes are measured");
            }
            return state(after);
        }
    }

    /** Stops following the fork without a result (it was cancelled or its worker could not run). */
    public void abandon() {
        Thread s;
        synchronized (this) {
            s = sampler;
            sampler = null;
        }
        if (s != null) {
            s.interrupt();
            try {
                s.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private MachineState state(Capacity after) {
        var unavailable = new LinkedHashMap<String, String>();
        long window = lastAt - openedAt;
        int cpuCount = cpus != null ? cpus.size() : Runtime.getRuntime().availableProcessors();
        Long workerNanos = null, otherNanos = null, supervisorNanos = null;
        Double otherShare = null, stealShare = null;
        if (firstCpu != null && lastCpu != null && lastCpu.total() > firstCpu.total()) {
            long totalTicks = lastCpu.total() - firstCpu.total();
            stealShare = round((lastCpu.steal() - firstCpu.steal()) / (double) totalTicks);
            if (!unreadableWorker && !workerTicks.isEmpty()) {
                long worker = 0;
                for (long[] t : workerTicks.values()) worker += t[1] - t[0];
                long self = firstSelf != null && lastSelf != null ? lastSelf - firstSelf : 0;
                long other = Math.max(0, (lastCpu.busy() - firstCpu.busy()) - worker - self);
                supervisorNanos = firstSelf != null && lastSelf != null ? self * ProcFiles.NANOS_PER_TICK : null;
                workerNanos = worker * ProcFiles.NANOS_PER_TICK;
                otherNanos = other * ProcFiles.NANOS_PER_TICK;
                otherShare = round(other / (double) totalTicks);
            } else {
                unavailable.put("otherShare", "the worker's CPU time could not be read (it ended before it was read)");
            }
        } else {
            unavailable.put("otherShare", firstCpu == null ? "no per-CPU lines in /proc/stat" : "the window was shorter than a clock tick (10 ms)");
        }
        Double maxSecond = maxSecondShare();
        if (maxSecond == null) unavailable.put("otherShareMaxSecond", "the window was shorter than a second");
        Long periods = null, throttled = null;
        if (firstThrottle != null && lastThrottle != null) {
            periods = lastThrottle.periods() - firstThrottle.periods();
            throttled = lastThrottle.nanos() - firstThrottle.nanos();
        } else {
            unavailable.put("throttling", "no cgroup cpu.stat is readable from this process");
        }
        Double pressure = null;
        if (firstPressure != null && lastPressure != null && window > 0) {
            pressure = round(Math.min(1, (lastPressure - firstPressure) * 1000.0 / window));
        } else {
            unavailable.put("cpuPressureShare", "no /proc/pressure/cpu (a kernel without PSI, or PSI turned off)");
        }
        Double mhzLast = proc.meanMhz(cpus);
        Double mhz = mhzFirst != null && mhzLast != null ? Math.round((mhzFirst + mhzLast) / 2) * 1.0 : null;
        if (mhz == null) {
            unavailable.put("mhz", "no cpufreq under /sys/devices/system/cpu (a VM, or a kernel without cpufreq): the frequency is not known");
        }
        double running = 0;
        int n = 0, most = 0;
        for (Sample s : samples) {
            if (s.running() == null) continue;
            int others = Math.max(0, s.running() - 1); // the reader counts itself
            running += others;
            most = Math.max(most, others);
            n++;
        }
        Double load = proc.load1();
        return new MachineState(before, after, window, cpuCount, workerNanos, supervisorNanos, otherNanos, otherShare, maxSecond, stealShare, periods,
                throttled, loadBefore, load, n == 0 ? null : round(running / n), n == 0 ? null : most, pressure, mhz,
                unavailable.isEmpty() ? null : unavailable);
    }

    /** The largest other-processes share over a stretch of at least a second between two samples of one worker process. */
    private Double maxSecondShare() {
        Double best = null;
        for (int i = 0; i < samples.size(); i++) {
            Sample a = samples.get(i);
            if (a.tree() == null) continue;
            for (int j = i + 1; j < samples.size(); j++) {
                Sample b = samples.get(j);
                if (b.pid() != a.pid() || b.tree() == null) break;
                if (b.at() - a.at() < 1_000_000_000L) continue;
                long total = b.total() - a.total();
                if (total > 0) {
                    double share = Math.max(0, (b.busy() - a.busy()) - (b.tree() - a.tree()) - (b.self() - a.self())) / (double) total;
                    best = best == null ? share : Math.max(best, share);
                }
                break;
            }
        }
        return best == null ? null : round(best);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
