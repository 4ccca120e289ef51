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
 */
public record Settings(int warmups, int iterations, int forks, int cellTimeoutSeconds, ForkMode forkMode, Long shuffleSeed) {

    public Settings {
        if (warmups < 0 || warmups > 1000) throw new InvalidSpecException("warm-ups must be 0 to 1000, not " + warmups);
        if (iterations < 1 || iterations > 10_000) throw new InvalidSpecException("iterations must be 1 to 10000, not " + iterations);
        if (forks < 1 || forks > 100) throw new InvalidSpecException("forks must be 1 to 100, not " + forks);
        if (cellTimeoutSeconds < 1 || cellTimeoutSeconds > 86_400) {
            throw new InvalidSpecException("cell timeout must be 1 to 86400 seconds, not " + cellTimeoutSeconds);
        }
    }

    /** A fresh JVM per cell, in the plan's order. */
    public Settings(int warmups, int iterations, int forks, int cellTimeoutSeconds) {
        this(warmups, iterations, forks, cellTimeoutSeconds, ForkMode.CELL, null);
    }

    public static Settings of(Suite suite) {
        return new Settings(suite.defaultWarmups, suite.defaultIterations, suite.defaultForks, suite.defaultCellTimeoutSeconds,
                suite.defaultForkMode, null);
    }

    /** The fork mode in effect: documents from before fork modes ran every cell in one JVM. */
    public ForkMode effectiveForkMode() {
        return forkMode == null ? ForkMode.RUN : forkMode;
    }
}
