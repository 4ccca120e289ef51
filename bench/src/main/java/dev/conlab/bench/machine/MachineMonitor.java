package dev.conlab.bench.machine;

import dev.conlab.bench.MachineState;
import dev.conlab.bench.MachineState.Capacity;

import java.util.Set;

/**
 * The machine beside every fork, measured by the supervisor: {@link #begin()} probes the capacity before a worker starts
 * (a probe taken less than a second ago, after the previous fork, is used again rather than taken twice), the returned
 * {@link ForkWindow} follows the worker's measured window, and {@link ForkWindow#end()} probes again and returns the fork's
 * {@link MachineState}. One monitor per supervisor; its forks run one at a time.
 */
public final class MachineMonitor {

    /** A probe this recent is the "before" of the next fork too: the time between them is a worker's exit and the next start. */
    private static final long REUSE_NANOS = 1_000_000_000L;

    private final ProcFiles proc;
    private final CapacityProbe probe;
    private final Set<Integer> cpus;
    private final boolean enabled;
    private Capacity last;
    private long lastAt;

    MachineMonitor(ProcFiles proc, CapacityProbe probe, boolean enabled) {
        this.proc = proc;
        this.probe = probe;
        this.enabled = enabled;
        Set<Integer> allowed = enabled ? proc.allowedCpus() : null;
        this.cpus = allowed == null || allowed.isEmpty() ? null : allowed;
    }

    /** This machine, every CPU this process may use. */
    public static MachineMonitor onThisMachine() {
        return new MachineMonitor(ProcFiles.system(), CapacityProbe.forThisMachine(), true);
    }

    /** A monitor that measures nothing: every fork's machine is null (measuring what the monitor itself costs). */
    public static MachineMonitor off() {
        return new MachineMonitor(ProcFiles.system(), CapacityProbe.forThisMachine(), false);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Probes the capacity now (or takes the probe of a moment ago) and opens a fork's record. */
    public ForkWindow begin() {
        if (!enabled) return ForkWindow.OFF;
        Capacity before = capacity(true);
        return new ForkWindow(proc, cpus, before, () -> afterFork(before));
    }

    /**
     * The last probe is not the next fork's "before": the fork it followed was disturbed, so the machine it saw may be gone
     * by now (a busy process that ended with that fork would make the next fork look as if the capacity had moved).
     */
    public synchronized void forget() {
        last = null;
    }

    /** A probe of the capacity now, for {@code conlab doctor}. */
    public Capacity probeNow() {
        return capacity(false);
    }

    private synchronized Capacity capacity(boolean reuse) {
        long now = System.nanoTime();
        if (reuse && last != null && now - lastAt < REUSE_NANOS) return last;
        last = probe.measure();
        lastAt = System.nanoTime();
        return last;
    }

    /**
     * The probe after a fork. One that differs from the probe before by more than {@link Disturbance#MAX_CAPACITY_CHANGE} is
     * taken again at once, and the one nearer the probe before is kept: a change of the machine lasts, a single slow probe
     * (seen here: 0.89 of 2 CPUs between probes of 1.73 and 1.81) does not, and would otherwise mark two forks disturbed
     * (it is the next fork's probe before, too).
     */
    private synchronized Capacity afterFork(Capacity before) {
        Capacity after = capacity(false);
        if (before == null || before.threads() == 0) return after;
        double change = Math.abs(after.parallelism() - before.parallelism()) / before.threads();
        if (change <= Disturbance.MAX_CAPACITY_CHANGE) return after;
        Capacity again = capacity(false);
        Capacity kept = Math.abs(again.parallelism() - before.parallelism()) < Math.abs(after.parallelism() - before.parallelism()) ? again : after;
        last = kept;
        return kept;
    }

    /** The CPUs the shares are counted over. */
    public int cpuCount() {
        return cpus != null ? cpus.size() : Runtime.getRuntime().availableProcessors();
    }

    /** The reader of this machine's files. */
    public ProcFiles proc() {
        return proc;
    }

    /** Whether the state during a fork can be read here at all (Linux's /proc). */
    public boolean readsProc() {
        return proc.available();
    }

    /** The one-line reason for the figures this machine cannot give. */
    static MachineState unmeasured(Capacity before, Capacity after, String why) {
        return new MachineState(before, after, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, java.util.Map.of("window", why));
    }
}
