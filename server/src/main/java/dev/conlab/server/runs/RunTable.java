package dev.conlab.server.runs;

import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.db.RunStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's numbers as one table under stable column names (documented in the README): what its CSV, Markdown and
 * JSON exports hold, the same figures the run page shows.
 */
public record RunTable(long run, String title, List<List<String>> lines) {

    public static final List<String> COLUMNS = List.of("workload", "model", "status", "samples", "median_ns", "ci_low_ns",
            "ci_high_ns", "speedup", "efficiency", "cpu_utilisation", "ideal_ns", "error", "efficiency_ci_low", "efficiency_ci_high",
            "forks", "flag");

    static RunTable of(RunStore.RunRow row, RunDocument doc) {
        List<CellSummary> summaries = CellSummary.of(doc);
        var lines = new ArrayList<List<String>>();
        for (int i = 0; i < summaries.size(); i++) {
            CellSummary s = summaries.get(i);
            var w = s.wall();
            lines.add(List.of(s.workload(), s.model(), s.status().id(), String.valueOf(doc.results().get(i).samples().size()),
                    w == null ? "" : fmt(w.median(), "%.0f"), w == null || w.ciLow() == null ? "" : fmt(w.ciLow(), "%.0f"),
                    w == null || w.ciHigh() == null ? "" : fmt(w.ciHigh(), "%.0f"), fmt(s.speedup(), "%.4f"), fmt(s.efficiency(), "%.4f"),
                    fmt(s.cpuUtilisation(), "%.4f"), s.idealNanos() == null ? "" : String.valueOf(s.idealNanos()),
                    s.error() == null ? "" : s.error().replace('\n', ' '), fmt(s.efficiencyLow(), "%.4f"), fmt(s.efficiencyHigh(), "%.4f"),
                    w == null ? "" : String.valueOf(w.forks()), s.flag() == null ? "" : s.flag()));
        }
        String title = "Run #" + row.id() + ": " + doc.suite() + " suite, JDK " + (doc.jvm() == null ? "?" : doc.jvm().version())
                + ", " + row.machineLabel();
        return new RunTable(row.id(), title, List.copyOf(lines));
    }

    private static String fmt(Double value, String pattern) {
        return value == null ? "" : String.format(Locale.ROOT, pattern, value);
    }
}
