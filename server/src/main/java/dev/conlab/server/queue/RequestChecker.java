package dev.conlab.server.queue;

import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.RunPlanner;
import dev.conlab.bench.RunRequest;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.server.core.LabException;

import java.util.List;

/**
 * Checks a request as {@code conlab run} does and chooses its JDKs: what to measure (the planner), how long a run may
 * take, and on which JDKs of this host — over HTTP a JDK is {@code all}, a feature version or the folder of a JDK
 * found here, never any other path. A refusal is one sentence naming the valid choices.
 */
final class RequestChecker {

    /** The per-run limit when a request names none, and the most a request may ask for. */
    static final int DEFAULT_RUN_TIMEOUT_SECONDS = 6 * 3600;
    static final int MAX_RUN_TIMEOUT_SECONDS = 7 * 24 * 3600;

    /** One run to queue: a plan on a JDK, with its limit. */
    record Planned(RunSpec spec, Jdk jdk, int runTimeoutSeconds) {
    }

    private final JdkCatalog jdks;

    RequestChecker(JdkCatalog jdks) {
        this.jdks = jdks;
    }

    /** One planned run per chosen JDK, in the order of the JDKs. */
    List<Planned> check(RunRequest request) {
        try {
            RunSpec spec = RunPlanner.plan(request);
            int runTimeout = request.runTimeoutSeconds() == null ? DEFAULT_RUN_TIMEOUT_SECONDS : request.runTimeoutSeconds();
            if (runTimeout < 10 || runTimeout > MAX_RUN_TIMEOUT_SECONDS) {
                throw new InvalidSpecException("run timeout must be 10 to " + MAX_RUN_TIMEOUT_SECONDS + " seconds, not " + runTimeout);
            }
            return chooseJdks(request.jdks()).stream().map(jdk -> new Planned(spec, jdk, runTimeout)).toList();
        } catch (InvalidSpecException e) {
            throw new LabException.Invalid(e.getMessage());
        }
    }

    private List<Jdk> chooseJdks(List<String> selectors) {
        for (String s : selectors) {
            String selector = s == null ? "" : s.trim();
            boolean known = selector.equals("all") || selector.matches("\\d{1,4}")
                    || jdks.all().stream().anyMatch(j -> j.home().toString().equals(selector));
            if (!known) {
                throw new InvalidSpecException("unknown JDK '" + selector + "': use all, a feature version or the folder of an "
                        + "installed JDK; installed: " + jdks.describe());
            }
        }
        return jdks.select(selectors);
    }
}
