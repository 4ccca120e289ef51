package dev.conlab.server.core;

import java.util.List;

/** One table of text cells under stable column names, as CSV or Markdown: the exports of runs and comparisons. */
public final class TextTables {

    private TextTables() {
    }

    public static String csv(List<String> columns, List<List<String>> lines) {
        var out = new StringBuilder(String.join(",", columns)).append('\n');
        for (List<String> line : lines) out.append(String.join(",", line.stream().map(TextTables::csvField).toList())).append('\n');
        return out.toString();
    }

    /** A Markdown table (header, separator, one row per line), ready to paste into a pull request. */
    public static String markdown(List<String> columns, List<List<String>> lines) {
        var out = new StringBuilder("| ").append(String.join(" | ", columns)).append(" |\n|").append(" --- |".repeat(columns.size())).append('\n');
        for (List<String> line : lines) {
            out.append("| ").append(String.join(" | ", line.stream().map(v -> v.replace("|", "\\|")).toList())).append(" |\n");
        }
        return out.toString();
    }

    private static String csvField(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
