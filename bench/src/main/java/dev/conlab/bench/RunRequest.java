package dev.conlab.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user asks to measure, from any front end: {@code conlab run}'s options, the queue API's JSON and the
 * dashboard's run form all build this record, and {@link RunPlanner} resolves it (request &gt; suite &gt; default)
 * into a {@link RunSpec}. A null number takes the suite's default; an empty list means "all" (workloads,
 * models) or "the default" (JDKs).
 *
 * @param suite              {@link Suite} id; null for {@code default}
 * @param workloads          workload ids, empty for all
 * @param models             model ids, empty for all
 * @param params             {@code workload.param} or {@code model.param} → value, as typed
 * @param warmups            warm-up iterations per cell
 * @param iterations         measured iterations per cell and fork
 * @param forks              fresh worker JVMs per cell
 * @param cellTimeoutSeconds a cell's limit
 * @param jdks               JDK selectors: {@code all}, a feature version or a JDK's folder
 * @param runTimeoutSeconds  a queued run's limit (the queue only)
 * @param forkMode           {@link ForkMode} id; null for the suite's
 * @param shuffleSeed        run the cells in a random order from this seed; null for the plan's order
 * @param pythons            Python interpreter selectors ({@code python3}, {@code 3.11}, {@code all} or a path): the run is
 *                           measured on these instead of JDKs, with the Python worker's models and workloads
 * @param targetCiPct        add forks to a cell until its 95 % interval is within this percentage of its median; null for the
 *                           suite's
 * @param maxForks           the most clean forks a cell gets with the target; null for the suite's (or 10)
 * @param interleave         measure the forks of every cell of every target in rounds, in one sitting; false: cell by cell,
 *                           target by target; null for the suite's (the default suite interleaves)
 */
public record RunRequest(String suite, List<String> workloads, List<String> models, Map<String, String> params, Integer warmups,
                         Integer iterations, Integer forks, Integer cellTimeoutSeconds, List<String> jdks,
                         Integer runTimeoutSeconds, String forkMode, Long shuffleSeed, List<String> pythons, Double targetCiPct,
                         Integer maxForks, Boolean interleave) {

    public RunRequest(String suite, List<String> workloads, List<String> models, Map<String, String> params, Integer warmups,
                      Integer iterations, Integer forks, Integer cellTimeoutSeconds, List<String> jdks,
                      Integer runTimeoutSeconds, String forkMode, Long shuffleSeed, List<String> pythons) {
        this(suite, workloads, models, params, warmups, iterations, forks, cellTimeoutSeconds, jdks, runTimeoutSeconds, forkMode,
                shuffleSeed, pythons, null, null, null);
    }

    /** The same request with forks added until a target interval, and in interleaved rounds or not. */
    public RunRequest withPrecision(Double targetCi, Integer mostForks, Boolean interleaved) {
        return new RunRequest(suite, workloads, models, params, warmups, iterations, forks, cellTimeoutSeconds, jdks, runTimeoutSeconds,
                forkMode, shuffleSeed, pythons, targetCi, mostForks, interleaved);
    }

    /** Whether the request asks for interleaved rounds itself (the suite may interleave without being asked). */
    public boolean interleaved() {
        return Boolean.TRUE.equals(interleave);
    }

    public RunRequest(String suite, List<String> workloads, List<String> models, Map<String, String> params, Integer warmups,
                      Integer iterations, Integer forks, Integer cellTimeoutSeconds, List<String> jdks,
                      Integer runTimeoutSeconds, String forkMode, Long shuffleSeed) {
        this(suite, workloads, models, params, warmups, iterations, forks, cellTimeoutSeconds, jdks, runTimeoutSeconds, forkMode,
                shuffleSeed, List.of());
    }

    public RunRequest {
        pythons = pythons == null ? List.of() : List.copyOf(pythons);
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
        models = models == null ? List.of() : List.copyOf(models);
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        jdks = jdks == null ? List.of() : List.copyOf(jdks);
    }

    /** Every workload and model in a suite, with its defaults. */
    public static RunRequest suite(String suite) {
        return new RunRequest(suite, List.of(), List.of(), Map.of(), null, null, null, null, List.of(), null, null, null);
    }

    public RunRequest withWorkloads(List<String> ids) {
        return new RunRequest(suite, ids, models, params, warmups, iterations, forks, cellTimeoutSeconds, jdks, runTimeoutSeconds, forkMode, shuffleSeed, pythons, targetCiPct, maxForks, interleave);
    }

    public RunRequest withModels(List<String> ids) {
        return new RunRequest(suite, workloads, ids, params, warmups, iterations, forks, cellTimeoutSeconds, jdks, runTimeoutSeconds, forkMode, shuffleSeed, pythons, targetCiPct, maxForks, interleave);
    }

    public RunRequest withParams(Map<String, String> overrides) {
        return new RunRequest(suite, workloads, models, overrides, warmups, iterations, forks, cellTimeoutSeconds, jdks,
                runTimeoutSeconds, forkMode, shuffleSeed, pythons, targetCiPct, maxForks, interleave);
    }

    public RunRequest withIterations(Integer warmupCount, Integer measured) {
        return new RunRequest(suite, workloads, models, params, warmupCount, measured, forks, cellTimeoutSeconds, jdks,
                runTimeoutSeconds, forkMode, shuffleSeed, pythons, targetCiPct, maxForks, interleave);
    }

    public RunRequest withForks(Integer count) {
        return new RunRequest(suite, workloads, models, params, warmups, iterations, count, cellTimeoutSeconds, jdks, runTimeoutSeconds, forkMode, shuffleSeed, pythons, targetCiPct, maxForks, interleave);
    }

    public RunRequest withCellTimeout(Integer seconds) {
        return new RunRequest(suite, workloads, models, params, warmups, iterations, forks, seconds, jdks, runTimeoutSeconds, forkMode, shuffleSeed, pythons, targetCiPct, maxForks, interleave);
    }

    public RunRequest withJdks(List<String> selectors) {
        return new RunRequest(suite, workloads, models, params, warmups, iterations, forks, cellTimeoutSeconds, selectors,
                runTimeoutSeconds, forkMode, shuffleSeed, pythons, targetCiPct, maxForks, interleave);
    }

    public RunRequest withForkMode(String mode) {
        return new RunRequest(suite, workloads, models, params, warmups, iterations, forks, cellTimeoutSeconds, jdks, runTimeoutSeconds,
                mode, shuffleSeed, pythons, targetCiPct, maxForks, interleave);
    }

    public RunRequest withShuffle(Long seed) {
        return new RunRequest(suite, workloads, models, params, warmups, iterations, forks, cellTimeoutSeconds, jdks, runTimeoutSeconds,
                forkMode, seed, pythons, targetCiPct, maxForks, interleave);
    }

    /** The run on these Python interpreters instead of JDKs. */
    public RunRequest withPythons(List<String> selectors) {
        return new RunRequest(suite, workloads, models, params, warmups, iterations, forks, cellTimeoutSeconds, jdks, runTimeoutSeconds,
                forkMode, shuffleSeed, selectors, targetCiPct, maxForks, interleave);
    }

    /** Whether the run is measured on Python interpreters. */
    public boolean onPython() {
        return !pythons.isEmpty();
    }

    public RunRequest withRunTimeout(Integer seconds) {
        return new RunRequest(suite, workloads, models, params, warmups, iterations, forks, cellTimeoutSeconds, jdks, seconds, forkMode, shuffleSeed, pythons, targetCiPct, maxForks, interleave);
    }
}
