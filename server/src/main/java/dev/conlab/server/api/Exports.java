package dev.conlab.server.api;

import dev.conlab.server.ApiException;
import io.javalin.http.Context;

import java.util.List;
import java.util.function.Supplier;

/** The exports of a run and of a comparison: one table of text cells under stable column names, as CSV or Markdown. */
public final class Exports {

    private Exports() {
    }

    public static String csv(List<String> columns, List<List<String>> lines) {
        var out = new StringBuilder(String.join(",", columns)).append('\n');
        for (List<String> line : lines) out.append(String.join(",", line.stream().map(Exports::csvField).toList())).append('\n');
        return out.toString();
    }

    /** A Markdown table (header, separator, one row per line), ready to paste into a pull request. */
    public static String markdownTable(List<String> columns, List<List<String>> lines) {
        var out = new StringBuilder("| ").append(String.join(" | ", columns)).append(" |\n|").append(" --- |".repeat(columns.size())).append('\n');
        for (List<String> line : lines) {
            out.append("| ").append(String.join(" | ", line.stream().map(v -> v.replace("|", "\\|")).toList())).append(" |\n");
        }
        return out.toString();
    }

    /**
     * Answers {@code format=json} (the default), {@code csv} or {@code md} as a download named {@code fileStem}.csv / .md;
     * any other format is a 400.
     */
    public static void send(Context ctx, String fileStem, Supplier<Object> json, Supplier<String> csv, Supplier<String> markdown) {
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        switch (format) {
            case "json" -> ctx.json(json.get());
            case "csv" -> ctx.contentType("text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + fileStem + ".csv\"").result(csv.get());
            case "md" -> ctx.contentType("text/markdown; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + fileStem + ".md\"").result(markdown.get());
            default -> throw new ApiException(400, "unknown format '" + format + "': json, csv or md");
        }
    }

    private static String csvField(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
