package dev.conlab.server.queue;

import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.RunPlanner;
import dev.conlab.bench.RunRequest;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.bench.fork.Python;
import dev.conlab.bench.fork.Pythons;
import dev.conlab.bench.fork.Target;
import dev.conlab.bench.Vocabulary;
import java.util.ArrayList;
import java.util.function.Supplier;
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

    /** One run to queue: a plan on a JDK or a Python interpreter, with its limit. */
    record Planned(RunSpec spec, Target target, int runTimeoutSeconds) {
    }

    private final JdkCatalog jdks;
    private final Supplier<Pythons> pythons;

    RequestChecker(JdkCatalog jdks) {
        this(jdks, Pythons::discover);
    }

    RequestChecker(JdkCatalog jdks, Supplier<Pythons> pythons) {
        this.jdks = jdks;
        this.pythons = pythons;
    }

    /**
     * One planned run per chosen JDK, then one per chosen Python interpreter. A request with only {@code pythons} runs on
     * Python alone; with both, each runtime takes the models, workloads and parameters that it knows.
     */
    List<Planned> check(RunRequest request) {
        try {
            int runTimeout = request.runTimeoutSeconds() == null ? DEFAULT_RUN_TIMEOUT_SECONDS : request.runTimeoutSeconds();
            if (runTimeout < 10 || runTimeout > MAX_RUN_TIMEOUT_SECONDS) {
                throw new InvalidSpecException("run timeout must be 10 to " + MAX_RUN_TIMEOUT_SECONDS + " seconds, not " + runTimeout);
            }
            var planned = new ArrayList<Planned>();
            boolean jvm = !request.onPython() || !request.jdks().isEmpty();
            if (jvm) {
                RunSpec spec = RunPlanner.plan(request, Vocabulary.jvm());
                for (Jdk jdk : chooseJdks(request.jdks())) planned.add(new Planned(spec, jdk, runTimeout));
            }
            if (request.onPython()) {
                RunSpec spec = RunPlanner.plan(request, Vocabulary.python());
                for (Python python : choosePythons(request.pythons())) planned.add(new Planned(spec, python, runTimeout));
            }
            return List.copyOf(planned);
        } catch (InvalidSpecException e) {
            throw new LabException.Invalid(e.getMessage());
        }
    }

    /** Over HTTP an interpreter is {@code all}, a version, a name or the path of one found here, never any other path. */
    private List<Python> choosePythons(List<String> selectors) {
        Pythons found = pythons.get();
        for (String s : selectors) {
            String selector = s == null ? "" : s.trim();
            boolean known = selector.equals("all") || selector.matches("\\d+\\.\\d+t?") || !selector.contains("/")
                    || found.all().stream().anyMatch(p -> p.executable().toString().equals(selector));
            if (!known || selector.isEmpty()) {
                throw new InvalidSpecException("unknown Python '" + selector + "': use all, a version such as 3.11, a name such as "
                        + "python3 or the path of an interpreter found here; found: " + found.describe());
            }
        }
        return found.select(selectors);
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
