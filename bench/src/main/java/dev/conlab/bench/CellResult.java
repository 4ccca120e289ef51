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
 * @param forks          every fork that measured the cell, disturbed ones too, each with the machine beside it (null, and
 *                       absent from the JSON, in documents from before the machine was measured)
 * @param forksStopped   why the cell has as many forks as it has ("3 clean forks, as set"; "±2.7 % after 6 clean forks, within the
 *                       target of ±3 %"), null where the document does not say
 */
public record CellResult(String workload, String model, Map<String, Object> params, Map<String, Object> modelParams,
                         CellStatus status, Integer concurrency, Long idealNanos, String idealFormula, Long oneThreadNanos,
                         List<Long> warmupWallNanos, List<Sample> samples, Map<String, String> metricSources,
                         String error, List<Long> workerPids,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) JmhCell jmh,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) List<ForkRecord> forks,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String forksStopped) {

    public CellResult(String workload, String model, Map<String, Object> params, Map<String, Object> modelParams,
                      CellStatus status, Integer concurrency, Long idealNanos, String idealFormula, Long oneThreadNanos,
                      List<Long> warmupWallNanos, List<Sample> samples, Map<String, String> metricSources,
                      String error, List<Long> workerPids, JmhCell jmh) {
        this(workload, model, params, modelParams, status, concurrency, idealNanos, idealFormula, oneThreadNanos, warmupWallNanos,
                samples, metricSources, error, workerPids, jmh, null, null);
    }

    public CellResult(String workload, String model, Map<String, Object> params, Map<String, Object> modelParams,
                      CellStatus status, Integer concurrency, Long idealNanos, String idealFormula, Long oneThreadNanos,
                      List<Long> warmupWallNanos, List<Sample> samples, Map<String, String> metricSources,
                      String error, List<Long> workerPids) {
        this(workload, model, params, modelParams, status, concurrency, idealNanos, idealFormula, oneThreadNanos, warmupWallNanos,
                samples, metricSources, error, workerPids, null);
    }

    /** The fork record of fork {@code number}, if the document has one. */
    public java.util.Optional<ForkRecord> forkRecord(Integer number) {
        if (forks == null || number == null) return java.util.Optional.empty();
        return forks.stream().filter(f -> f.fork() == number).findFirst();
    }

    /** The disturbed forks' numbers (empty when every fork was clean, or none was judged). */
    public java.util.Set<Integer> disturbedForks() {
        if (forks == null) return java.util.Set.of();
        var set = new java.util.TreeSet<Integer>();
        for (ForkRecord f : forks) if (!f.clean()) set.add(f.fork());
        return set;
    }

    /**
     * The samples the statistics use: those of the clean forks. When every fork was disturbed, all of them (the summary
     * says so), so that a cell measured on a busy machine still shows what it measured.
     */
    public List<Sample> cleanSamples() {
        var disturbed = disturbedForks();
        if (disturbed.isEmpty()) return samples;
        var clean = samples.stream().filter(s -> s.fork() == null || !disturbed.contains(s.fork())).toList();
        return clean.isEmpty() ? samples : clean;
    }

    /** The same cell with its forks' records and why it stopped where it did. */
    public CellResult withForks(List<ForkRecord> records, String stopped) {
        return new CellResult(workload, model, params, modelParams, status, concurrency, idealNanos, idealFormula, oneThreadNanos,
                warmupWallNanos, samples, metricSources, error, workerPids, jmh, records, stopped);
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
                warmupWallNanos, numbered, metricSources, error, List.of(workerPid), jmh, forks, forksStopped);
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
                oneThreadNanos, warm, all, metricSources, error, pids, jmh, forks, forksStopped);
    }

    /** The same cell with its ideal (the supervisor fills it in once the run's T₁ is known). */
    public CellResult withIdeal(Long ideal, String formula, Long oneThread) {
        return new CellResult(workload, model, params, modelParams, status, concurrency, ideal, formula, oneThread,
                warmupWallNanos, samples, metricSources, error, workerPids, jmh, forks, forksStopped);
    }
}
