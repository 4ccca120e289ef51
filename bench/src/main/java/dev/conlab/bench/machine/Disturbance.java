package dev.conlab.bench.machine;

import dev.conlab.bench.MachineState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rule that calls a fork disturbed: the machine under it was not the machine the other forks had. A disturbed fork is
 * kept in the document, left out of the cell's statistics, and replaced by another fork (a bounded number of times).
 *
 * <p>The supervisor's own CPU (the lab's process that starts the worker and reads its lines) is recorded, not judged: it is
 * the harness, as JMH's host JVM is, and in a fresh {@code conlab run} its JIT took 130–190 ms of the first 0.3 s forks —
 * judged, every first fork of a short run was replaced.
 */
public final class Disturbance {

    /** Other processes kept more than this percentage of the CPUs busy over the fork's window. */
    public static final int OTHER_PCT = 10;
    /** … or more than this percentage during some second of it. */
    public static final int OTHER_SECOND_PCT = 50;
    /** The hypervisor took more than this percentage of the CPUs (steal). */
    public static final int STEAL_PCT = 5;
    /** The capacity probes before and after the fork differ by more than this percentage of the CPUs. */
    public static final int CAPACITY_CHANGE_PCT = 25;

    /**
     * How many clock ticks a share of CPU time may be off by: the kernel counts CPU time in 10 ms ticks and each of the
     * counters read at both ends of the window (every CPU's busy time, the worker's user, system and reaped children's time)
     * is a tick short or long. Over a window of W seconds on P CPUs a share is uncertain by up to 6 ÷ (100 × W × P), which the
     * rule allows on top of its threshold — seen here: 22–62 % "other" over the 5 ms windows of the smoke suite's dot-product
     * on a quiet machine, 2–7 % over windows of a second.
     */
    public static final int TICK_SLACK = 6;

    public static final double MAX_OTHER_SHARE = OTHER_PCT / 100.0;
    public static final double MAX_OTHER_SHARE_SECOND = OTHER_SECOND_PCT / 100.0;
    public static final double MAX_STEAL_SHARE = STEAL_PCT / 100.0;
    public static final double MAX_CAPACITY_CHANGE = CAPACITY_CHANGE_PCT / 100.0;

    /** The rule in one sentence, for --help: picocli formats descriptions, so its percent signs are doubled ({@code %%}). */
    public static final String RULE_FOR_HELP = "a fork is disturbed when other processes used more than " + OTHER_PCT + " %% of the CPUs during it "
            + "(or more than " + OTHER_SECOND_PCT + " %% in some second of it), the hypervisor took more than " + STEAL_PCT + " %% (steal), "
            + "the cgroup throttled it, or the capacity probes before and after it differ by more than " + CAPACITY_CHANGE_PCT
            + " %% of the CPUs (the shares beyond what the kernel's 10 ms ticks can tell over the fork)";

    private Disturbance() {
    }

    /**
     * Why fork {@code fork} is disturbed, in one sentence with its figures ("other processes used 48 % of the 2 CPUs during
     * fork 2"), or null when it is clean (or its machine was not measured).
     */
    public static String judge(MachineState m, int fork) {
        if (m == null) return null;
        var why = new ArrayList<String>();
        String cpus = m.cpus() == null ? "the CPUs" : "the " + m.cpus() + " CPU" + (m.cpus() == 1 ? "" : "s");
        double slack = m.windowNanos() == null || m.cpus() == null || m.windowNanos() <= 0 ? 1
                : TICK_SLACK * (double) ProcFiles.NANOS_PER_TICK / ((double) m.windowNanos() * m.cpus());
        if (m.otherShare() != null && m.otherShare() - slack > MAX_OTHER_SHARE) {
            why.add(String.format(Locale.ROOT, "other processes used %s of %s", pct(m.otherShare()), cpus));
        } else if (m.otherShareMaxSecond() != null && m.otherShareMaxSecond() > MAX_OTHER_SHARE_SECOND + TICK_SLACK / 200.0) {
            why.add(String.format(Locale.ROOT, "other processes used %s of %s in one second of it", pct(m.otherShareMaxSecond()), cpus));
        }
        if (m.stealShare() != null && m.stealShare() - slack > MAX_STEAL_SHARE) {
            why.add(String.format(Locale.ROOT, "the hypervisor took %s of %s (steal)", pct(m.stealShare()), cpus));
        }
        if (m.throttledPeriods() != null && m.throttledPeriods() > 0) {
            why.add(String.format(Locale.ROOT, "the cgroup throttled it in %d period(s), %.0f ms in all", m.throttledPeriods(),
                    m.throttledNanos() == null ? 0 : m.throttledNanos() / 1e6));
        }
        if (m.before() != null && m.after() != null && m.before().threads() > 0) {
            double change = Math.abs(m.after().parallelism() - m.before().parallelism()) / m.before().threads();
            if (change > MAX_CAPACITY_CHANGE) {
                why.add(String.format(Locale.ROOT, "the machine's capacity moved from %.2f to %.2f of its %d CPUs across it",
                        m.before().parallelism(), m.after().parallelism(), m.before().threads()));
            }
        }
        if (why.isEmpty()) return null;
        return join(why) + " during fork " + fork;
    }

    /** "a, b and c". */
    private static String join(List<String> parts) {
        if (parts.size() == 1) return parts.get(0);
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    private static String pct(double share) {
        return Math.round(share * 100) + " %";
    }
}
