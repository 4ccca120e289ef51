package dev.conlab.bench.stats;

import dev.conlab.bench.Catalog;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The derived figures of one cell: wall-time statistics, speedup against the catalog's baseline model (same workload
 * and parameters, same document), efficiency against the ideal, CPU utilisation. Derived, never stored as
 * the only truth: the raw samples are.
 *
 * @param wall           statistics of wall time (ns), null if the cell has no samples
 * @param speedup        the baseline model's median ÷ this median
 * @param efficiency     ideal ÷ median
 * @param cpuUtilisation median CPU time ÷ median wall time (2.0 = two cores busy); null where the CPU clock is
 *                       too coarse for the cell (JDK 17–21 on Linux count 10 ms ticks)
 */
public record CellSummary(String workload, String model, CellStatus status, Summary wall, Double speedup,
                          Double efficiency, Double cpuUtilisation, Long idealNanos, String error) {

    public static List<CellSummary> of(RunDocument document) {
        String baseline = Catalog.baseline().id();
        Map<String, Double> baselineMedians = new HashMap<>();
        for (CellResult cell : document.results()) {
            if (cell.model().equals(baseline) && !cell.samples().isEmpty()) {
                baselineMedians.put(key(cell), wall(cell).median());
            }
        }
        var list = new ArrayList<CellSummary>();
        for (CellResult cell : document.results()) {
            if (cell.samples().isEmpty()) {
                list.add(new CellSummary(cell.workload(), cell.model(), cell.status(), null, null, null, null,
                        cell.idealNanos(), cell.error()));
                continue;
            }
            Summary wall = wall(cell);
            double[] cpu = cell.samples().stream().map(Sample::cpuNanos).filter(Objects::nonNull)
                    .mapToDouble(Long::doubleValue).toArray();
            Double utilisation = cpu.length == cell.samples().size() && wall.median() > 0
                    && wall.median() >= 20 * cpuResolution(cell) ? Stats.summarize(cpu).median() / wall.median() : null;
            list.add(new CellSummary(cell.workload(), cell.model(), cell.status(), wall,
                    Stats.speedup(baselineMedians.get(key(cell)), wall.median()),
                    Stats.efficiency(cell.idealNanos(), wall.median()), utilisation, cell.idealNanos(), cell.error()));
        }
        return list;
    }

    /** The CPU clock's step recorded with the cell; utilisation is not shown where the step is over 5 % of the median. */
    private static double cpuResolution(CellResult cell) {
        String text = cell.metricSources() == null ? null : cell.metricSources().get("cpuResolutionNanos");
        try {
            return text == null ? 0 : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Summary wall(CellResult cell) {
        return Stats.summarize(cell.samples().stream().mapToLong(Sample::wallNanos).toArray());
    }

    private static String key(CellResult cell) {
        return cell.workload() + cell.params();
    }
}
