package dev.conlab.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The four suites: the parameter sizes every workload has in each, and each suite's measuring defaults. */
public enum Suite {
    /**
     * CI-fast: a sequential iteration in about 50 ms or less; one worker JVM per workload, one fork (a quick look:
     * the figures are for checking that everything runs, not for conclusions), a disturbed fork flagged but not replaced.
     */
    SMOKE(1, 3, 1, ForkMode.WORKLOAD, 60, null, null, false, 0, "seconds per run (CI-sized)"),
    /**
     * Tuned so that a sequential iteration takes roughly 0.5–2 s on a 2-core machine; at least three fresh JVMs per cell, so
     * the interval covers the JVM-to-JVM variation (docs/FINDINGS.md: one JVM's iterations understate it several times), and
     * more until the 95 % interval is within ±3 % of the median or twelve clean forks ran: a waiting cell is steady after
     * three, a parallel CPU cell on a 2-vCPU machine takes the twelve. Interleaved: round r runs fork r of every cell (of
     * every target), so that a cell's forks span the whole run, not one stretch of the machine's time — two runs of one
     * command called 5 of 16 cells different with the forks of each cell in a row, 1 of 16 interleaved (docs/PERFORMANCE.md,
     * issue #25).
     */
    DEFAULT(2, 3, 3, ForkMode.CELL, 300, 3.0, 12, true, null, "about 0.5–2 s per sequential iteration; forks until ±3 %, interleaved"),
    /** The source articles' sizes (10 tasks × 1 s sleep, 8 × 1,000,000 random ints, …); a fresh JVM per cell. */
    SEED(1, 5, 1, ForkMode.CELL, 300, null, null, false, null, "the source articles' sizes"),
    /**
     * Curves, not points: the default sizes with each workload's own sweep ({@link Workload#scaling}: tasks from 10 to
     * 100,000 for waiting work, workers from 1 to 4 × P for CPU work, …); a fresh JVM per point.
     */
    SCALING(1, 3, 1, ForkMode.CELL, 120, null, null, false, null, "sweeps: tasks to 100,000, workers to 4 × P");

    public final int defaultWarmups;
    public final int defaultIterations;
    public final int defaultForks;
    public final ForkMode defaultForkMode;
    public final int defaultCellTimeoutSeconds;
    /** Forks are added to a cell until its interval is within this percentage of its median; null: exactly the forks. */
    public final Double defaultTargetCiPct;
    /** The most clean forks a cell gets with the target. */
    public final Integer defaultMaxForks;
    /** Whether the forks of the run's cells (and targets) run in interleaved rounds. */
    public final boolean defaultInterleave;
    /** How many disturbed forks a cell may replace; null: max(2, forks); the smoke suite keeps them (0), flagged. */
    public final Integer defaultReplacements;
    private final String summary;

    Suite(int warmups, int iterations, int forks, ForkMode forkMode, int cellTimeoutSeconds, Double targetCiPct, Integer maxForks,
          boolean interleave, Integer replacements, String summary) {
        this.defaultReplacements = replacements;
        this.defaultInterleave = interleave;
        this.defaultTargetCiPct = targetCiPct;
        this.defaultMaxForks = maxForks;
        this.defaultWarmups = warmups;
        this.defaultIterations = iterations;
        this.defaultForks = forks;
        this.defaultForkMode = forkMode;
        this.defaultCellTimeoutSeconds = cellTimeoutSeconds;
        this.summary = summary;
    }

    /** A few words for the run form and --help. */
    public String summary() {
        return summary;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Suite parse(String text) {
        for (Suite s : values()) {
            if (s.id().equalsIgnoreCase(text.trim())) return s;
        }
        throw new InvalidSpecException("unknown suite '" + text + "'; valid suites: " + ids());
    }

    @Override
    public String toString() {
        return id();
    }

    public static String ids() {
        return Arrays.stream(values()).map(Suite::id).collect(Collectors.joining(", "));
    }
}
