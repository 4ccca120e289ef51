package dev.conlab.server.runs;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.bench.stats.Curves;
import dev.conlab.bench.stats.ForkFacts;
import dev.conlab.db.RunStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A run's numbers as one table under stable column names (documented in docs/API.md): what its CSV, Markdown and
 * JSON exports hold, the same figures the run page shows.
 */
public record RunTable(long run, String title, List<List<String>> lines, List<String> sentences,
                       List<dev.conlab.bench.stats.WorkAnswers> answers) {

    /**
     * One row per cell, which for a sweep is one row per point. Columns are only ever added at the end, so that
     * scripts reading them by position keep working.
     */
    public static final List<String> COLUMNS = List.of("workload", "model", "status", "samples", "median_ns", "ci_low_ns",
            "ci_high_ns", "speedup", "efficiency", "cpu_utilisation", "ideal_ns", "error", "efficiency_ci_low", "efficiency_ci_high",
            "forks", "flag", "params", "model_params", "swept", "point", "throughput_per_s", "peak_rss_bytes", "memory_per_task_bytes",
            "heap_after_bytes", "latency_p50_ns", "latency_p99_ns", "latency_max_ns", "pinned_count", "crossover",
            "unit", "median", "ci_low", "ci_high", "higher_is_better", "jmh_benchmark", "jmh_score", "jmh_score_error",
            "disturbed", "other_cpu_share", "capacity", "ci_half_width_pct");

    static RunTable of(RunStore.RunRow row, RunDocument doc) {
        List<CellSummary> summaries = CellSummary.of(doc);
        List<Curves.Curve> curves = Curves.of(doc);
        Map<Integer, Curves.Point> points = new HashMap<>();
        Map<Integer, Curves.Curve> curveOf = new HashMap<>();
        Map<Integer, List<String>> crossings = new HashMap<>();
        for (Curves.Curve c : curves) {
            for (Curves.Line l : c.lines()) {
                for (Curves.Point p : l.points()) {
                    points.putIfAbsent(p.cell(), p);
                    curveOf.putIfAbsent(p.cell(), c);
                    // a crossover is written on the row of the point from which the overtaking model is ahead
                    for (Curves.Crossover x : c.crossovers()) {
                        if (x.overtaking().equals(l.label()) && x.to() == p.x()) crossings.computeIfAbsent(p.cell(), k -> new ArrayList<>()).add(x.sentence());
                    }
                }
            }
        }
        var lines = new ArrayList<List<String>>();
        for (int i = 0; i < summaries.size(); i++) {
            CellSummary s = summaries.get(i);
            CellResult cell = doc.results().get(i);
            var w = s.wall();
            Curves.Point p = points.get(i);
            Curves.Curve c = curveOf.get(i);
            // an imported JMH benchmark's figures are in its unit: the _ns columns stay empty, median/ci_* have them
            var ns = cell.jmh() == null ? w : null;
            var line = new ArrayList<>(List.of(s.workload(), s.model(), s.status().id(), String.valueOf(cell.samples().size()),
                    ns == null ? "" : fmt(ns.median(), "%.0f"), ns == null || ns.ciLow() == null ? "" : fmt(ns.ciLow(), "%.0f"),
                    ns == null || ns.ciHigh() == null ? "" : fmt(ns.ciHigh(), "%.0f"), fmt(s.speedup(), "%.4f"), fmt(s.efficiency(), "%.4f"),
                    fmt(s.cpuUtilisation(), "%.4f"), s.idealNanos() == null ? "" : String.valueOf(s.idealNanos()),
                    s.error() == null ? "" : s.error().replace('\n', ' '), fmt(s.efficiencyLow(), "%.4f"), fmt(s.efficiencyHigh(), "%.4f"),
                    w == null ? "" : String.valueOf(w.forks()), s.flag() == null ? "" : s.flag()));
            line.addAll(List.of(params(cell.params()), params(cell.modelParams()), c == null ? "" : c.parameter(),
                    p == null ? "" : String.valueOf(p.x()), p == null ? "" : fmt(p.throughput(), "%.6g"),
                    number(median(cell, Sample::peakRssBytes)), p == null ? "" : fmt(p.memoryPerTask(), "%.1f"),
                    number(median(cell, Sample::heapAfterBytes)), number(median(cell, Sample::latencyP50Nanos)),
                    number(median(cell, Sample::latencyP99Nanos)),
                    number(cell.cleanSamples().stream().map(Sample::latencyMaxNanos).filter(Objects::nonNull).max(Long::compare).orElse(null)),
                    number(median(cell, Sample::pinnedCount)), String.join("; ", crossings.getOrDefault(i, List.of()))));
            var jmh = cell.jmh();
            line.addAll(List.of(jmh == null ? "ns" : jmh.unit(), w == null ? "" : fmt(w.median(), "%.6g"),
                    w == null || w.ciLow() == null ? "" : fmt(w.ciLow(), "%.6g"), w == null || w.ciHigh() == null ? "" : fmt(w.ciHigh(), "%.6g"),
                    String.valueOf(cell.higherIsBetter()), jmh == null ? "" : jmh.benchmark(),
                    jmh == null || jmh.score() == null ? "" : fmt(jmh.score(), "%.6g"),
                    jmh == null || jmh.scoreError() == null ? "" : fmt(jmh.scoreError(), "%.6g")));
            ForkFacts facts = ForkFacts.of(cell);
            line.addAll(List.of(String.valueOf(facts.anyDisturbed()), fmt(facts.otherShareMax(), "%.3f"), fmt(facts.capacity(), "%.3f"),
                    fmt(facts.ciHalfWidthPct(), "%.2f")));
            lines.add(List.copyOf(line));
        }
        var sentences = new ArrayList<String>();
        for (Curves.Curve c : curves) {
            for (String sentence : CurveText.sentences(c)) sentences.add(c.title() + ": " + sentence);
        }
        String title = "Run #" + row.id() + ": " + doc.suite() + " suite, " + (doc.python() != null && doc.jvm() == null
                ? doc.runtimeLabel() : "JDK " + (doc.jvm() == null ? "?" : doc.jvm().version()))
                + ", " + row.machineLabel();
        return new RunTable(row.id(), title, List.copyOf(lines), List.copyOf(sentences), dev.conlab.bench.stats.WorkAnswers.of(doc, summaries));
    }

    /** {@code tasks=10;latencyMs=1000}: a cell's parameters in one CSV field. */
    private static String params(Map<String, Object> params) {
        if (params == null || params.isEmpty()) return "";
        var out = new StringBuilder();
        params.forEach((k, v) -> out.append(out.length() == 0 ? "" : ";").append(k).append('=').append(v));
        return out.toString();
    }

    private static Long median(CellResult cell, Function<Sample, Long> figure) {
        return Curves.median(cell.cleanSamples(), figure);
    }

    private static String number(Long value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static String fmt(Double value, String pattern) {
        return value == null ? "" : String.format(Locale.ROOT, pattern, value);
    }
}
