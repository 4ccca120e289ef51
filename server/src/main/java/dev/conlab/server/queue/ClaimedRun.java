package dev.conlab.server.queue;

import dev.conlab.bench.RunSpec;

/**
 * A run its holder (this host's runner, or an agent) claimed and now measures: what to measure, on which JDK or interpreter
 * of its machine, within what limit.
 *
 * @param runtime           {@code jvm} or {@code python}
 * @param home              the JDK's folder or the interpreter's path, on the measuring machine
 * @param runTimeoutSeconds the run's limit; 0 for the default
 * @param sitting           the id of the sitting it belongs to, or null
 */
public record ClaimedRun(long id, String documentId, String runtime, String home, int runTimeoutSeconds, RunSpec spec, String sitting) {

    /** The run's limit in seconds: its own, or the default. */
    public int limitSeconds() {
        return runTimeoutSeconds > 0 ? runTimeoutSeconds : RequestChecker.DEFAULT_RUN_TIMEOUT_SECONDS;
    }
}
