package dev.conlab.bench.stats;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.OneThread;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The derived figures of one cell: wall-time statistics, speedup against the catalog's baseline model (same workload
 * and parameters, same document), efficiency against the ideal with its interval, CPU utilisation. Derived, never
 * stored as the only truth: the raw samples are.
 *
 * @param wall             statistics of wall time (ns), null if the cell has no samples; its interval from the forks'
 *                         means when the cell ran in 2 or more forks
 * @param speedup          the baseline model's median ÷ this median
 * @param efficiency       ideal ÷ median
 * @param efficiencyLow    the efficiency's 95 % interval: the ideal's (from T₁'s interval, for CPU-bound ideals) over
 *                         the cell's; null where either has none
 * @param efficiencyHigh   its upper bound
 * @param flag             a sentence when the figures say something is off (an efficiency interval wholly above 1.0:
 *                         faster than the physical limit), else null
 * @param cpuUtilisation   median CPU time ÷ median wall time (2.0 = two cores busy); null where the CPU clock is
 *                         too coarse for the cell (JDK 17–21 on Linux count 10 ms ticks)
 * @param speedupLow       the speedup's 95 % interval where it is paired with T₁ round by round (an interleaved sitting), else null
 * @param speedupHigh      its upper bound
 * @param pairedRounds     how many rounds the speedup (and the efficiency's interval) were paired over; null when not paired
 * @param disturbed        which forks were left out of the statistics and why, in one sentence; null when none was
 */
public record CellSummary(String workload, String model, CellStatus status, Summary wall, Double speedup,
                          Double efficiency, Double efficiencyLow, Double efficiencyHigh, String flag, Double cpuUtilisation,
                          Long idealNanos, String error, Double speedupLow, Double speedupHigh, Integer pairedRounds, String disturbed) {

    public static List<CellSummary> of(RunDocument document) {
        String baseline = document.baselineModel();
        Map<String, Double> baselineMedians = new HashMap<>();
        for (CellResult cell : document.results()) {
            if (cell.model().equals(baseline) && !cell.samples().isEmpty()) {
                baselineMedians.put(key(cell), wall(cell).median());
            }
        }
        var list = new ArrayList<CellSummary>();
        for (CellResult cell : document.results()) {
            if (cell.samples().isEmpty()) {
                list.add(new CellSummary(cell.workload(), cell.model(), cell.status(), null, null, null, null, null, null, null,
                        cell.idealNanos(), cell.error(), null, null, null, disturbed(cell)));
                continue;
            }
            Summary wall = wall(cell);
            List<Sample> clean = cell.cleanSamples();
            double[] cpu = clean.stream().map(Sample::cpuNanos).filter(Objects::nonNull)
                    .mapToDouble(Long::doubleValue).toArray();
            Double utilisation = cpu.length == clean.size() && wall.median() > 0
                    && wall.median() >= 20 * cpuResolution(cell) ? Stats.summarize(cpu).median() / wall.median() : null;
            Double efficiency = Stats.efficiency(cell.idealNanos(), wall.median());
            Double[] interval = efficiencyInterval(cell, wall, document.oneThreadOf(cell.workload(), cell.params()).orElse(null));
            // without the baseline's cell, its median is still known: the run's T₁ is that median, measured the same way
            Double baselineMedian = baselineMedians.containsKey(key(cell)) ? baselineMedians.get(key(cell))
                    : document.oneThreadOf(cell.workload(), cell.params()).map(t -> (double) t.nanos()).orElse(null);
            OneThread t1 = document.oneThreadOf(cell.workload(), cell.params()).orElse(null);
            RatioTest paired = pairedWithOneThread(cell, t1);
            Double speedup = Stats.speedup(baselineMedian, wall.median());
            Double speedupLow = null, speedupHigh = null;
            Integer rounds = null;
            if (paired != null && paired.ciLow() != null) {
                // speedup = T₁ ÷ time: the inverse of the paired ratio time ÷ T₁, and its interval's bounds swapped
                speedupLow = 1 / paired.ciHigh();
                speedupHigh = 1 / paired.ciLow();
                rounds = RatioTest.pairedCount(cell, t1);
                if (cell.oneThreadNanos() != null && cell.idealNanos() != null && cell.oneThreadNanos() > 0) {
                    // a CPU-bound ideal is a multiple of T₁: its efficiency per round is the round's speedup times ideal ÷ T₁
                    double per = cell.idealNanos() / (double) cell.oneThreadNanos();
                    interval = new Double[] {speedupLow * per, speedupHigh * per};
                }
            }
            list.add(new CellSummary(cell.workload(), cell.model(), cell.status(), wall,
                    speedup, efficiency, interval[0], interval[1],
                    flag(interval, cell, wall, t1, baseline), utilisation,
                    cell.idealNanos(), cell.error(), speedupLow, speedupHigh, rounds, disturbed(cell)));
        }
        return list;
    }

    /** The cell's rounds against T₁'s (time ÷ T₁, paired), or null where the run was not interleaved. */
    private static RatioTest pairedWithOneThread(CellResult cell, OneThread t1) {
        if (t1 == null || t1.rounds() == null || t1.rounds().isEmpty()) return null;
        return RatioTest.pairedRounds(RatioTest.oneThreadRounds(t1), RatioTest.roundMeans(cell));
    }

    /** "1 of 4 forks left out: other processes used 48 % of the 2 CPUs during fork 2"; null when every fork was clean. */
    public static String disturbed(CellResult cell) {
        if (cell.forks() == null) return null;
        var left = cell.forks().stream().filter(f -> !f.clean()).toList();
        if (left.isEmpty()) return null;
        int all = cell.forks().size();
        String reasons = String.join("; ", left.stream().map(dev.conlab.bench.ForkRecord::disturbed).toList());
        if (left.size() == all) return "every fork was disturbed, so the figures use them all: " + reasons;
        return left.size() + " of " + all + " forks left out of the statistics: " + reasons;
    }

    /**
     * The efficiency's interval: the ideal's bounds over the cell's. A CPU-bound ideal is proportional to T₁, so its
     * bounds are T₁'s interval scaled; other ideals are exact (a sleep is as long as it is).
     */
    private static Double[] efficiencyInterval(CellResult cell, Summary wall, OneThread oneThread) {
        if (cell.idealNanos() == null || wall.ciLow() == null || wall.ciLow() <= 0) return new Double[] {null, null};
        double idealLow = cell.idealNanos();
        double idealHigh = cell.idealNanos();
        if (cell.oneThreadNanos() != null) {
            if (oneThread == null || oneThread.ciLowNanos() == null) return new Double[] {null, null};
            idealLow = cell.idealNanos() * oneThread.ciLowNanos() / oneThread.nanos();
            idealHigh = cell.idealNanos() * oneThread.ciHighNanos() / oneThread.nanos();
        }
        return new Double[] {idealLow / wall.ciHigh(), idealHigh / wall.ciLow()};
    }

    /**
     * Never a silent efficiency above 1.0: a cell whose whole interval lies above the limit says so, and what to suspect;
     * one whose median beats the ideal within its interval says that the excess is within the uncertainty.
     */
    private static String flag(Double[] interval, CellResult cell, Summary wall, OneThread oneThread, String baseline) {
        Double efficiency = Stats.efficiency(cell.idealNanos(), wall.median());
        if (efficiency == null || efficiency <= 1.0) return null;
        if (interval[0] == null) {
            return String.format(Locale.ROOT, "efficiency %.2f, above the ideal, with no interval to tell noise from a real excess: "
                    + "measure it in 2 or more forks", efficiency);
        }
        if (interval[0] <= 1.0) {
            return String.format(Locale.ROOT, "efficiency %.2f, above the ideal, but its interval (%.2f–%.2f) includes 1.0: within the "
                    + "uncertainty of %s, not evidence of beating the physical limit", efficiency, interval[0], interval[1],
                    cell.oneThreadNanos() != null ? "T₁ and this cell's time" : "this cell's time");
        }
        String range = String.format(Locale.ROOT, "%.2f–%.2f", interval[0], interval[1]);
        if (cell.oneThreadNanos() != null && oneThread != null) {
            double t1 = oneThread.ciHighNanos() == null ? 0 : (oneThread.ciHighNanos() - oneThread.ciLowNanos()) / 2 / oneThread.nanos() * 100;
            return String.format(Locale.ROOT, "faster than the ideal (efficiency %s): T₁ is uncertain by ±%.1f %%, and this model ran "
                    + "the work faster than the %s code path that measured T₁ (see docs/FINDINGS.md)", range, t1, baseline);
        }
        return "faster than the ideal (efficiency " + range + "): the ideal assumes what this cell beat; check its formula: "
                + cell.idealFormula();
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

    /**
     * A cell's wall-time statistics (an imported JMH benchmark's: of its scores, in its unit) from its clean forks' samples
     * (the disturbed forks' stay in the document, left out here): its interval from the forks' means when it ran in 2 or more
     * forks.
     */
    public static Summary wall(CellResult cell) {
        List<Sample> clean = cell.cleanSamples();
        double[] values = clean.stream().mapToDouble(Sample::value).toArray();
        Integer[] forks = clean.stream().map(Sample::fork).toArray(Integer[]::new);
        return Stats.summarize(values, forks);
    }

    private static String key(CellResult cell) {
        return cell.workload() + cell.params();
    }
}
