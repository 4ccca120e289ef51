package dev.conlab.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The three parameter settings every workload has. */
public enum Suite {
    /** CI-fast: a sequential iteration in about 50 ms or less. */
    SMOKE(1, 3, 60, "seconds per run (CI-sized)"),
    /** Tuned so that a sequential iteration takes roughly 0.5–2 s on a 2-core machine. */
    DEFAULT(2, 5, 300, "about 0.5–2 s per sequential iteration"),
    /** The source articles' sizes (10 tasks × 1 s sleep, 8 × 1,000,000 random ints, …). */
    SEED(1, 5, 300, "the source articles' sizes");

    public final int defaultWarmups;
    public final int defaultIterations;
    public final int defaultCellTimeoutSeconds;
    private final String summary;

    Suite(int warmups, int iterations, int cellTimeoutSeconds, String summary) {
        this.defaultWarmups = warmups;
        this.defaultIterations = iterations;
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
