package dev.conlab.bench;

/**
 * How a run measures.
 *
 * @param warmups            unmeasured iterations before the measured ones, per cell
 * @param iterations         measured iterations per cell and fork
 * @param forks              how many fresh worker JVMs measure every cell; samples are pooled
 * @param cellTimeoutSeconds a cell still running after this long has its worker JVM killed and ends as timeout
 */
public record Settings(int warmups, int iterations, int forks, int cellTimeoutSeconds) {

    public Settings {
        if (warmups < 0 || warmups > 1000) throw new InvalidSpecException("warm-ups must be 0 to 1000, not " + warmups);
        if (iterations < 1 || iterations > 10_000) throw new InvalidSpecException("iterations must be 1 to 10000, not " + iterations);
        if (forks < 1 || forks > 100) throw new InvalidSpecException("forks must be 1 to 100, not " + forks);
        if (cellTimeoutSeconds < 1 || cellTimeoutSeconds > 86_400) {
            throw new InvalidSpecException("cell timeout must be 1 to 86400 seconds, not " + cellTimeoutSeconds);
        }
    }

    public static Settings of(Suite suite) {
        return new Settings(suite.defaultWarmups, suite.defaultIterations, 1, suite.defaultCellTimeoutSeconds);
    }
}
