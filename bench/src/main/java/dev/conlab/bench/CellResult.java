package dev.conlab.bench;

import java.util.List;
import java.util.Map;

/**
 * One measured cell of the result document.
 *
 * @param workload       workload id
 * @param model          model id
 * @param params         workload parameters
 * @param modelParams    model parameters (e.g. pool size; 0 means the available processors)
 * @param status         how the cell ended
 * @param concurrency    how many tasks the model ran at once (k), null if the cell did not run
 * @param idealNanos     the physical limit of this cell, null where it has none
 * @param idealFormula   how the ideal was computed
 * @param oneThreadNanos T₁ when the ideal used it
 * @param warmupWallNanos wall time of each warm-up iteration, for readers who check stability
 * @param samples        the measured iterations, raw
 * @param metricSources  where each figure comes from (exact, lower bound, or missing)
 * @param error          why the cell is not ok (unsupported reason, failure with its cause, timeout)
 * @param workerPids     the process ids of the worker JVMs that measured it, one per fork (null in older documents)
 * @param jmh            what JMH said of an imported benchmark (mode, unit, score and error, secondary metrics); null (and
 *                       absent from the JSON) for the lab's own cells
 */
public record CellResult(String workload, String model, Map<String, Object> params, Map<String, Object> modelParams,
                         CellStatus status, Integer concurrency, Long idealNanos, String idealFormula, Long oneThreadNanos,
                         List<Long> warmupWallNanos, List<Sample> samples, Map<String, String> metricSources,
                         String error, List<Long> workerPids,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) JmhCell jmh) {

    public CellResult(String workload, String model, Map<String, Object> params, Map<String, Object> modelParams,
                      CellStatus status, Integer concurrency, Long idealNanos, String idealFormula, Long oneThreadNanos,
                      List<Long> warmupWallNanos, List<Sample> samples, Map<String, String> metricSources,
                      String error, List<Long> workerPids) {
        this(workload, model, params, modelParams, status, concurrency, idealNanos, idealFormula, oneThreadNanos, warmupWallNanos,
                samples, metricSources, error, workerPids, null);
    }

    /** Whether a larger value is better (JMH's throughput units, ops per time); the lab's own cells are times, smaller is better. */
    public boolean higherIsBetter() {
        return jmh != null && jmh.higherIsBetter();
    }

    public CellResult(String workload, String model, Map<String, Object> params, Map<String, Object> modelParams,
                      CellStatus status, Integer concurrency, Long idealNanos, String idealFormula, Long oneThreadNanos,
                      List<Long> warmupWallNanos, List<Sample> samples, Map<String, String> metricSources, String error) {
        this(workload, model, params, modelParams, status, concurrency, idealNanos, idealFormula, oneThreadNanos, warmupWallNanos,
                samples, metricSources, error, null);
    }

    /** Longest error text kept: enough for a cause chain and a stderr tail. */
    public static final int MAX_ERROR_LENGTH = 4000;

    public static CellResult notRun(CellSpec cell, CellStatus status, String error) {
        String text = error == null || error.isBlank() ? status.id() : error;
        if (text.length() > MAX_ERROR_LENGTH) text = text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
        return new CellResult(cell.workload(), cell.model(), cell.params(), cell.modelParams(), status, null, null,
                null, null, List.of(), List.of(), Map.of(), text);
    }

    /** This fork's result as its supervisor records it: every sample numbered with the fork, the worker's PID added. */
    public CellResult ofFork(int fork, long workerPid) {
        var numbered = samples.stream().map(s -> s.withFork(fork)).toList();
        return new CellResult(workload, model, params, modelParams, status, concurrency, idealNanos, idealFormula, oneThreadNanos,
                warmupWallNanos, numbered, metricSources, error, List.of(workerPid), jmh);
    }

    /** Two forks' results as one cell: their samples, warm-ups and worker PIDs in fork order. */
    public CellResult withSamples(List<Sample> more, List<Long> moreWarmups, List<Long> morePids) {
        var all = new java.util.ArrayList<>(samples);
        all.addAll(more);
        var warm = new java.util.ArrayList<>(warmupWallNanos);
        warm.addAll(moreWarmups);
        var pids = new java.util.ArrayList<Long>(workerPids == null ? List.of() : workerPids);
        if (morePids != null) pids.addAll(morePids);
        return new CellResult(workload, model, params, modelParams, status, concurrency, idealNanos, idealFormula,
                oneThreadNanos, warm, all, metricSources, error, pids, jmh);
    }

    /** The same cell with its ideal (the supervisor fills it in once the run's T₁ is known). */
    public CellResult withIdeal(Long ideal, String formula, Long oneThread) {
        return new CellResult(workload, model, params, modelParams, status, concurrency, ideal, formula, oneThread,
                warmupWallNanos, samples, metricSources, error, workerPids, jmh);
    }
}
