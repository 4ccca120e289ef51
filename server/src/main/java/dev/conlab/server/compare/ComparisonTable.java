package dev.conlab.server.compare;

import dev.conlab.server.core.TextTables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A comparison as one table under stable column names (documented in docs/API.md): its CSV and Markdown exports.
 * {@code run_model}: in the {@value Comparison#BEST} rows of a comparison across runtimes, the run's fastest model.
 */
public final class ComparisonTable {

    public static final List<String> COLUMNS = List.of("workload", "model", "run", "baseline_run", "status", "median_ns",
            "ci_low_ns", "ci_high_ns", "samples", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value", "verdict", "point", "run_model",
            "unit", "median", "ci_low", "ci_high", "higher_is_better", "paired", "rounds", "disturbed");

    private ComparisonTable() {
    }

    static List<List<String>> lines(Comparison c) {
        var lines = new ArrayList<List<String>>();
        for (var block : c.workloads()) {
            for (var row : block.rows()) {
                for (var e : row.entries()) {
                    // an imported JMH benchmark's figures are in its unit: the _ns columns stay empty, median/ci_* have them
                    boolean ns = e.unit() == null;
                    lines.add(List.of(row.workload(), row.model(), String.valueOf(e.run()), String.valueOf(c.baseline()), e.status(),
                            ns ? num(e.medianNanos()) : "", ns ? num(e.ciLowNanos()) : "", ns ? num(e.ciHighNanos()) : "", String.valueOf(e.samples()),
                            ratio(e.ratio()), ratio(e.ratioLow()), ratio(e.ratioHigh()), e.p() == null ? "" : String.format(Locale.ROOT, "%.4g", e.p()),
                            e.verdict() == null ? "" : e.verdict(), row.point() == null ? "" : row.point(),
                            e.model() == null ? "" : e.model(), ns ? "ns" : e.unit(), g(e.medianNanos()), g(e.ciLowNanos()),
                            g(e.ciHighNanos()), String.valueOf(Boolean.TRUE.equals(e.higherIsBetter())),
                            String.valueOf(Boolean.TRUE.equals(e.paired())), e.rounds() == null ? "" : String.valueOf(e.rounds()),
                            e.disturbed() == null ? "" : e.disturbed()));
                }
            }
        }
        return lines;
    }

    public static String csv(Comparison c) {
        return TextTables.csv(COLUMNS, lines(c));
    }

    public static String markdown(Comparison c) {
        var out = new StringBuilder();
        out.append("Runs: ").append(String.join(", ", c.runs().stream().map(r -> r.label() + (r.baseline() ? " (baseline)" : "")).toList()))
                .append("\n\n");
        for (String w : c.warnings()) out.append("> ").append(w).append("\n\n");
        out.append(TextTables.markdown(COLUMNS, lines(c)));
        out.append("\n").append(c.method()).append('\n');
        return out.toString();
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String g(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String ratio(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
