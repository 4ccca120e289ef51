package dev.conlab.server.runs;

import dev.conlab.bench.CellStatus;
import dev.conlab.bench.stats.Summary;

import java.util.Map;

/**
 * What the API and the pages show of one cell: its facts from the document and the statistics derived from its
 * samples (see {@link dev.conlab.bench.stats.CellSummary}).
 *
 * @param samples        how many measured iterations it has (all forks)
 * @param efficiencyLow  the efficiency's 95 % interval (null where the ideal or the cell has none)
 * @param flag           a sentence when something is off (faster than the ideal), else null
 * @param workerPids     the worker JVMs that measured it, one per fork
 * @param unit           the unit of {@code wall}: ns, or an imported JMH benchmark's (ops/us, us/op, …)
 * @param higherIsBetter true for a JMH throughput: a larger value is the faster
 */
public record CellFigures(String workload, String model, Map<String, Object> params, Map<String, Object> modelParams,
                          CellStatus status, Integer concurrency, Long idealNanos, String idealFormula, String error, int samples,
                          Summary wall, Double speedup, Double efficiency, Double cpuUtilisation, Double efficiencyLow,
                          Double efficiencyHigh, String flag, java.util.List<Long> workerPids, String unit, boolean higherIsBetter) {
}
