package dev.conlab.server.web;

import dev.conlab.bench.stats.RatioTest;
import dev.conlab.server.compare.JdkMatrix;
import dev.conlab.server.compare.PythonMatrix;
import dev.conlab.server.core.Fmt;
import dev.conlab.web.Views;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The JDK and Python matrix pages from a {@link JdkMatrix} or {@link PythonMatrix}: each cell's ratio, its interval in the title, its verdict as a colour. */
final class JdkMatrixView {

    private JdkMatrixView() {
    }

    static Views.JdkMatrixPage page(JdkMatrix m, List<Views.MachineLine> machines, List<String> suites) {
        var rows = new ArrayList<Views.MatrixRow>();
        for (JdkMatrix.Row row : m.rows()) {
            var cells = new ArrayList<Views.MatrixCell>();
            for (JdkMatrix.Cell c : row.cells()) cells.add(cell(c, "JDK " + m.from(), "JDK " + m.to()));
            rows.add(new Views.MatrixRow(row.workload(), cells));
        }
        return new Views.JdkMatrixPage(machines, m.machineId(), suites, m.suite(), m.features(), m.from(), m.to(), m.models(), rows,
                m.note());
    }

    static Views.PythonMatrixPage page(PythonMatrix m, List<Views.MachineLine> machines, List<String> suites) {
        var rows = new ArrayList<Views.MatrixRow>();
        for (JdkMatrix.Row row : m.rows()) {
            var cells = new ArrayList<Views.MatrixCell>();
            for (JdkMatrix.Cell c : row.cells()) cells.add(cell(c, m.from(), m.to()));
            rows.add(new Views.MatrixRow(row.workload(), cells));
        }
        return new Views.PythonMatrixPage(machines, m.machineId(), suites, m.suite(), m.runtimes(), m.from(), m.to(), m.models(), rows,
                m.note());
    }

    private static Views.MatrixCell cell(JdkMatrix.Cell c, String older, String newer) {
        if (c.ratio() == null) return new Views.MatrixCell("—", "none", "not measured on both");
        double ratio = c.ratio();
        String css = switch (c.verdict()) {
            case RatioTest.FASTER -> ratio <= 0.5 ? "much-faster" : "faster";
            case RatioTest.SLOWER -> ratio >= 2 ? "much-slower" : "slower";
            default -> "same";
        };
        String interval = c.ratioLow() == null ? "" : String.format(Locale.ROOT, "; 95 %% CI [%.3f, %.3f]", c.ratioLow(), c.ratioHigh());
        return new Views.MatrixCell(String.format(Locale.ROOT, "%.2f", ratio), css, newer + " " + Fmt.duration(c.newerMedianNanos())
                + " ÷ " + older + " " + Fmt.duration(c.olderMedianNanos()) + interval + ": " + c.verdict());
    }
}
