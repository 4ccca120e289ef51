package dev.conlab.server.http;

import dev.conlab.server.core.LabException;
import io.javalin.http.Context;

import java.util.function.Supplier;

/** Answers an export as {@code format=json} (the default), {@code csv} or {@code md}, the latter two as downloads. */
public final class Exports {

    private Exports() {
    }

    public static void send(Context ctx, String fileStem, Supplier<Object> json, Supplier<String> csv, Supplier<String> markdown) {
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        switch (format) {
            case "json" -> ctx.json(json.get());
            case "csv" -> ctx.contentType("text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + fileStem + ".csv\"").result(csv.get());
            case "md" -> ctx.contentType("text/markdown; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + fileStem + ".md\"").result(markdown.get());
            default -> throw new LabException.Invalid("unknown format '" + format + "': json, csv or md");
        }
    }
}
