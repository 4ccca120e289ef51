package dev.conlab.bench;

/**
 * How a run measures.
 *
 * @param warmups            unmeasured iterations before the measured ones, per cell and fork
 * @param iterations         measured iterations per cell and fork
 * @param forks              how many fresh worker JVMs measure every cell; with 2 or more, a cell's interval is built
 *                           from the forks' means (the JVM-to-JVM variation), not from the iterations of one JVM
 * @param cellTimeoutSeconds a cell still running after this long has its worker JVM killed and ends as timeout
 * @param forkMode           how many cells share a worker JVM; null in documents from before fork modes (one JVM per run)
 * @param shuffleSeed        when set, the cells ran in the order {@code Collections.shuffle(cells, new Random(seed))}
 *                           gives (T₁ first); null: in the plan's order
 * @param targetCiPct        when set, forks are added to a cell (from {@code forks}, the least) until its 95 % interval's
 *                           half-width is within this percentage of its median, or {@code maxForks} clean forks ran; null:
 *                           exactly {@code forks} clean forks
 * @param maxForks           the most clean forks a cell gets with {@code targetCiPct}; null without it
 * @param interleave         the forks of every cell of every target of the sitting ran in rounds (see {@link Sitting}); null or
 *                           false: target by target, cell by cell
 * @param replacements       how many disturbed forks a cell may replace with others; null: max(2, forks); 0: none — a
 *                           disturbed fork is kept and counted (the smoke suite: CI-sized, a quick look), still flagged
 */
public record Settings(int warmups, int iterations, int forks, int cellTimeoutSeconds, ForkMode forkMode, Long shuffleSeed,
                       @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Double targetCiPct,
                       @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Integer maxForks,
                       @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Boolean interleave,
                       @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Integer replacements) {

    /**
     * The bounds of each setting, here only: the document's schema (conlab.run-1.schema.json), the run form's inputs
     * (overview.jte) and JMH's import say the same, and VocabularyTest holds them to these.
     */
    public static final int MOST_WARMUPS = 1000;
    public static final int MOST_ITERATIONS = 10_000;
    /** The most forks (clean and disturbed) one cell may take. */
    public static final int MOST_FORKS = 100;
    public static final int MOST_CELL_TIMEOUT_SECONDS = 86_400;
    public static final double LEAST_TARGET_CI_PCT = 0.1;
    public static final double MOST_TARGET_CI_PCT = 100;

    public Settings {
        if (warmups < 0 || warmups > MOST_WARMUPS) throw new InvalidSpecException("warm-ups must be 0 to " + MOST_WARMUPS + ", not " + warmups);
        if (iterations < 1 || iterations > MOST_ITERATIONS) {
            throw new InvalidSpecException("iterations must be 1 to " + MOST_ITERATIONS + ", not " + iterations);
        }
        if (forks < 1 || forks > MOST_FORKS) throw new InvalidSpecException("forks must be 1 to " + MOST_FORKS + ", not " + forks);
        if (cellTimeoutSeconds < 1 || cellTimeoutSeconds > MOST_CELL_TIMEOUT_SECONDS) {
            throw new InvalidSpecException("cell timeout must be 1 to " + MOST_CELL_TIMEOUT_SECONDS + " seconds, not " + cellTimeoutSeconds);
        }
        if (replacements != null && (replacements < 0 || replacements > MOST_FORKS)) {
            throw new InvalidSpecException("replacements must be 0 to " + MOST_FORKS + ", not " + replacements);
        }
        if (targetCiPct != null && !(targetCiPct >= LEAST_TARGET_CI_PCT && targetCiPct <= MOST_TARGET_CI_PCT)) {
            throw new InvalidSpecException("the target interval must be " + LEAST_TARGET_CI_PCT + " to " + (int) MOST_TARGET_CI_PCT
                    + " % of the median, not " + targetCiPct);
        }
        if (maxForks != null && targetCiPct == null) {
            throw new InvalidSpecException("max forks bounds the forks added to reach a target interval: give the target too (--target-ci PCT)");
        }
        if (targetCiPct != null) {
            int most = maxForks == null ? Math.max(forks, DEFAULT_MAX_FORKS) : maxForks;
            if (most < Math.max(2, forks) || most > MOST_FORKS) {
                throw new InvalidSpecException("max forks must be " + Math.max(2, forks) + " to " + MOST_FORKS + " (at least the forks, "
                        + forks + ", and 2: an interval needs two forks), not " + most);
            }
            maxForks = most;
        }
    }

    /** The most clean forks a cell gets with a target interval and no --max-forks. */
    public static final int DEFAULT_MAX_FORKS = 10;

    public Settings(int warmups, int iterations, int forks, int cellTimeoutSeconds, ForkMode forkMode, Long shuffleSeed) {
        this(warmups, iterations, forks, cellTimeoutSeconds, forkMode, shuffleSeed, null, null, null, null);
    }

    public Settings(int warmups, int iterations, int forks, int cellTimeoutSeconds, ForkMode forkMode, Long shuffleSeed, Double targetCiPct,
                    Integer maxForks, Boolean interleave) {
        this(warmups, iterations, forks, cellTimeoutSeconds, forkMode, shuffleSeed, targetCiPct, maxForks, interleave, null);
    }

    /** How many disturbed forks a cell may replace: as set, else max(2, forks). */
    public int replacementsAllowed() {
        return replacements != null ? replacements : Math.max(2, forks);
    }

    /** Whether the sitting's forks run in rounds. */
    public boolean interleaved() {
        return Boolean.TRUE.equals(interleave);
    }

    /** Whether forks are added until a target interval. */
    public boolean adaptive() {
        return targetCiPct != null;
    }

    /** A fresh JVM per cell, in the plan's order. */
    public Settings(int warmups, int iterations, int forks, int cellTimeoutSeconds) {
        this(warmups, iterations, forks, cellTimeoutSeconds, ForkMode.CELL, null);
    }

    public static Settings of(Suite suite) {
        return new Settings(suite.defaultWarmups, suite.defaultIterations, suite.defaultForks, suite.defaultCellTimeoutSeconds,
                suite.defaultForkMode, null, suite.defaultTargetCiPct, suite.defaultTargetCiPct == null ? null : suite.defaultMaxForks,
                suite.defaultInterleave ? Boolean.TRUE : null, suite.defaultReplacements);
    }

    /** The fork mode in effect: documents from before fork modes ran every cell in one JVM. */
    public ForkMode effectiveForkMode() {
        return forkMode == null ? ForkMode.RUN : forkMode;
    }
}
