package dev.conlab.bench.stats;

import dev.conlab.bench.Vocabulary;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.Model;
import dev.conlab.bench.Param;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Sweep;
import dev.conlab.bench.Workload;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The curves of a swept run: for each workload and swept parameter, one line per model through its points (a point is
 * a cell), the crossovers between lines, and the Universal Scalability Law fitted where the parameter is a concurrency.
 * Derived from the document alone, the same code for the CLI's summary, the run page, the comparison and the exports.
 */
public final class Curves {

    private Curves() {
    }

    /**
     * One measured point of a line.
     *
     * @param cell           the cell's index in the document's results
     * @param x              the swept parameter's value
     * @param status         the cell's status: a failed or unsupported point is a result too (where a model breaks)
     * @param error          why it failed or was not run
     * @param wall           wall-time statistics, null when the cell has no samples
     * @param idealNanos     the physical limit at this point, null where there is none
     * @param throughput     work units (or runs, see {@link Curve#throughputUnit}) per second at the median, null without samples
     * @param throughputLow  throughput at the upper end of the time interval
     * @param throughputHigh throughput at its lower end
     * @param peakRssBytes   median peak resident memory of the iterations (null where not measured)
     * @param memoryPerTask  median of (peak − resident before) ÷ work units, for sweeps of the amount of work; null otherwise
     * @param heapAfterBytes median heap in use after the iterations
     * @param latencyP50     median over iterations of the per-task latency p50 (waiting workloads), ns
     * @param latencyP99     … of p99
     * @param latencyMax     the largest per-task latency of any iteration
     * @param pinnedCount    median pinned virtual threads per iteration (JDK 21+, virtual-thread cells)
     */
    public record Point(int cell, long x, CellStatus status, String error, Summary wall, Long idealNanos, Double throughput,
                        Double throughputLow, Double throughputHigh, Long peakRssBytes, Double memoryPerTask, Long heapAfterBytes,
                        Long latencyP50, Long latencyP99, Long latencyMax, Long pinnedCount) {

        public boolean measured() {
            return wall != null;
        }
    }

    /** One model's points, in increasing x, with the USL fitted to them where it applies ({@code uslNote} says why not). */
    public record Line(String model, String label, List<Point> points, Usl usl, String uslNote, String breaks) {
    }

    /**
     * Two models' order flips between two points, each with non-overlapping intervals.
     *
     * @param overtaking the model that is faster from {@code to} on
     * @param overtaken  the model that was faster at {@code from}
     */
    public record Crossover(String overtaking, String overtaken, long from, long to, String sentence) {
    }

    /**
     * The curves of one workload over one swept parameter.
     *
     * @param parameter      owner.name of the swept parameter
     * @param fixed          the workload's other parameters (the swept one left out)
     * @param role           what the sweep varies
     * @param unit           what x counts, for sentences ("tasks", "threads")
     * @param throughputUnit what throughput counts per second ("tasks/s", or "runs/s" when the work is fixed)
     */
    public record Curve(String workload, String parameter, Map<String, Object> fixed, Param.Role role, String unit,
                        String throughputUnit, List<Line> lines, List<Crossover> crossovers) {

        /** Whether a line has the memory per task figure. */
        public boolean hasMemory() {
            return lines.stream().flatMap(l -> l.points().stream()).anyMatch(p -> p.peakRssBytes() != null);
        }

        public boolean hasLatency() {
            return lines.stream().flatMap(l -> l.points().stream()).anyMatch(p -> p.latencyP99() != null);
        }

        /** The x values of all lines, in increasing order. */
        public List<Long> xs() {
            return lines.stream().flatMap(l -> l.points().stream()).map(Point::x).distinct().sorted().toList();
        }

        /** A short title: "sleep-io over tasks (latencyMs = 1000)". */
        public String title() {
            String name = parameter.substring(parameter.indexOf('.') + 1);
            String owner = parameter.substring(0, parameter.indexOf('.'));
            var rest = new StringBuilder();
            fixed.forEach((k, v) -> rest.append(rest.length() == 0 ? "" : ", ").append(k).append(" = ").append(v));
            return workload + " over " + (owner.equals(workload) ? name : parameter) + (rest.length() == 0 ? "" : " (" + rest + ")");
        }
    }

    /** The curves of a document; empty when nothing was swept. */
    public static List<Curve> of(RunDocument document) {
        if (!document.swept()) return List.of();
        var curves = new ArrayList<Curve>();
        Map<CellResult, Integer> index = new java.util.IdentityHashMap<>();
        for (int i = 0; i < document.results().size(); i++) index.put(document.results().get(i), i);
        for (Sweep sweep : document.sweeps()) {
            String name = sweep.name();
            // cells varying this sweep: those whose workload or model owns it; grouped by workload and the other params
            Map<String, List<CellResult>> groups = new LinkedHashMap<>();
            for (CellResult cell : document.results()) {
                boolean workloadOwns = cell.workload().equals(sweep.owner());
                boolean modelOwns = cell.model().equals(sweep.owner());
                if (!workloadOwns && !modelOwns) continue;
                Map<String, Object> params = workloadOwns ? without(cell.params(), name) : cell.params();
                groups.computeIfAbsent(cell.workload() + "\u0000" + params, k -> new ArrayList<>()).add(cell);
            }
            for (List<CellResult> cells : groups.values()) curves.add(curve(index, sweep, cells));
        }
        return curves;
    }

    private static Curve curve(Map<CellResult, Integer> index, Sweep sweep, List<CellResult> cells) {
        String workload = cells.get(0).workload();
        boolean workloadOwns = workload.equals(sweep.owner());
        Param.Role role = role(sweep);
        Map<String, Object> fixed = workloadOwns ? without(cells.get(0).params(), sweep.name()) : cells.get(0).params();
        // lines: by model and its parameters other than the swept one (two fixed-pool sizes are two lines)
        Map<String, List<CellResult>> byLine = new LinkedHashMap<>();
        for (CellResult cell : cells) {
            Map<String, Object> mp = workloadOwns ? cell.modelParams() : without(cell.modelParams(), sweep.name());
            byLine.computeIfAbsent(cell.model() + "\u0000" + mp, k -> new ArrayList<>()).add(cell);
        }
        boolean labelParams = byLine.keySet().stream().map(k -> k.substring(0, k.indexOf('\u0000'))).distinct().count() < byLine.size();
        var lines = new ArrayList<Line>();
        for (List<CellResult> lineCells : byLine.values()) {
            CellResult first = lineCells.get(0);
            var points = new ArrayList<Point>();
            for (CellResult cell : lineCells) {
                Long x = number(workloadOwns ? cell.params().get(sweep.name()) : cell.modelParams().get(sweep.name()));
                if (x != null) points.add(point(index.get(cell), x, cell, role));
            }
            points.sort(Comparator.comparingLong(Point::x));
            String label = first.model() + (labelParams && first.modelParams() != null && !first.modelParams().isEmpty()
                    ? " " + (workloadOwns ? first.modelParams() : without(first.modelParams(), sweep.name())) : "");
            Usl usl = null;
            String note = null;
            if (role.concurrency()) {
                var fitted = points.stream().filter(p -> p.throughput() != null && p.throughput() > 0).toList();
                if (fitted.size() < Usl.MIN_POINTS) {
                    note = "no USL fit: it needs " + Usl.MIN_POINTS + " measured points, this line has " + fitted.size();
                } else {
                    try {
                        usl = Usl.fit(fitted.stream().mapToDouble(Point::x).toArray(), fitted.stream().mapToDouble(Point::throughput).toArray());
                        if (usl.poor()) note = String.format(Locale.ROOT, "poor USL fit (R² = %.3f): the law does not describe these points well",
                                usl.rSquared());
                    } catch (IllegalArgumentException e) {
                        note = "no USL fit: " + e.getMessage();
                    }
                }
            }
            lines.add(new Line(first.model(), label, List.copyOf(points), usl, note, breaks(points, unit(sweep))));
        }
        lines.sort(Comparator.comparingInt(l -> Vocabulary.displayOrder(l.model())));
        String unit = unit(sweep);
        String throughputUnit = role.countsWork() ? unit + "/s" : "runs/s";
        return new Curve(workload, sweep.parameter(), fixed, role, unit, throughputUnit, List.copyOf(lines), crossovers(lines, unit));
    }

    private static Point point(int index, long x, CellResult cell, Param.Role role) {
        if (cell.samples().isEmpty()) {
            return new Point(index, x, cell.status(), cell.error(), null, cell.idealNanos(), null, null, null, null, null, null, null, null, null, null);
        }
        Summary wall = CellSummary.wall(cell);
        double units = role.countsWork() ? x : 1;
        Double tp = wall.median() > 0 ? units * 1e9 / wall.median() : null;
        Double tpLow = wall.ciHigh() != null && wall.ciHigh() > 0 ? units * 1e9 / wall.ciHigh() : null;
        Double tpHigh = wall.ciLow() != null && wall.ciLow() > 0 ? units * 1e9 / wall.ciLow() : null;
        List<Sample> samples = cell.cleanSamples();
        Long peak = median(samples, Sample::peakRssBytes);
        Double perTask = null;
        if (role.countsWork() && x > 0) {
            var growth = samples.stream().filter(s -> s.peakRssBytes() != null && s.rssBeforeBytes() != null)
                    .mapToDouble(s -> Math.max(0, s.peakRssBytes() - s.rssBeforeBytes())).sorted().toArray();
            if (growth.length > 0) perTask = Stats.summarize(growth).median() / x;
        }
        Long latencyMax = samples.stream().map(Sample::latencyMaxNanos).filter(Objects::nonNull).max(Long::compare).orElse(null);
        return new Point(index, x, cell.status(), cell.error(), wall, cell.idealNanos(), tp, tpLow, tpHigh, peak, perTask,
                median(samples, Sample::heapAfterBytes), median(samples, Sample::latencyP50Nanos), median(samples, Sample::latencyP99Nanos),
                latencyMax, median(samples, Sample::pinnedCount));
    }

    /** The median of a figure over the samples that have it; null when none has. */
    public static Long median(List<Sample> samples, java.util.function.Function<Sample, Long> figure) {
        long[] values = samples.stream().map(figure).filter(Objects::nonNull).mapToLong(Long::longValue).sorted().toArray();
        if (values.length == 0) return null;
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** The first point from which the line no longer has a measurement, with the reason: where the model breaks. */
    private static String breaks(List<Point> points, String unit) {
        boolean seenMeasured = false;
        for (Point p : points) {
            if (p.measured()) {
                seenMeasured = true;
                continue;
            }
            if (seenMeasured && p.status() == CellStatus.FAILED) {
                return "fails at " + count(p.x()) + " " + unit + ": " + (p.error() == null ? "no reason recorded" : p.error());
            }
        }
        return null;
    }

    /**
     * Where two lines' order flips. Between consecutive points where both are measured, the order is "decided" when
     * their time intervals do not overlap; a crossover is reported between two decided points with opposite orders and
     * no decided point between them. Lines without intervals (one sample) decide nothing.
     */
    static List<Crossover> crossovers(List<Line> lines, String unit) {
        var found = new ArrayList<Crossover>();
        for (int i = 0; i < lines.size(); i++) {
            for (int j = i + 1; j < lines.size(); j++) {
                Line a = lines.get(i);
                Line b = lines.get(j);
                Map<Long, Point> bAt = new LinkedHashMap<>();
                for (Point p : b.points()) bAt.put(p.x(), p);
                Integer lastOrder = null;
                long lastX = 0;
                for (Point pa : a.points()) {
                    Point pb = bAt.get(pa.x());
                    if (pb == null) continue;
                    Integer order = order(pa, pb);
                    if (order == null) continue;
                    if (lastOrder != null && !lastOrder.equals(order)) {
                        // order < 0: a faster here
                        Line overtaking = order < 0 ? a : b;
                        Line overtaken = order < 0 ? b : a;
                        found.add(new Crossover(overtaking.label(), overtaken.label(), lastX, pa.x(),
                                overtaking.label() + " overtakes " + overtaken.label() + " between " + count(lastX) + " and "
                                        + count(pa.x()) + " " + unit));
                    }
                    lastOrder = order;
                    lastX = pa.x();
                }
            }
        }
        found.sort(Comparator.comparingLong(Crossover::from).thenComparing(Crossover::overtaking));
        return List.copyOf(found);
    }

    /** -1: a is faster with non-overlapping intervals; 1: b is; null: undecided (overlap, or no interval). */
    private static Integer order(Point a, Point b) {
        if (!a.measured() || !b.measured()) return null;
        Summary x = a.wall();
        Summary y = b.wall();
        if (x.ciLow() == null || y.ciLow() == null) return null;
        if (x.ciHigh() < y.ciLow()) return -1;
        if (y.ciHigh() < x.ciLow()) return 1;
        return null;
    }

    private static Param.Role role(Sweep sweep) {
        return Vocabulary.param(sweep.owner(), sweep.name()).map(Param::role).orElse(Param.Role.PLAIN);
    }

    /** What x counts, for sentences: the parameter's name (tasks, threads, workers…). */
    private static String unit(Sweep sweep) {
        return sweep.name();
    }

    /** 100000 → "100,000". */
    public static String count(long n) {
        return NumberFormat.getIntegerInstance(Locale.ENGLISH).format(n);
    }

    private static Map<String, Object> without(Map<String, Object> map, String key) {
        if (map == null) return Map.of();
        var copy = new LinkedHashMap<>(map);
        copy.remove(key);
        return copy;
    }

    private static Long number(Object value) {
        if (value instanceof Number n) return n.longValue();
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
