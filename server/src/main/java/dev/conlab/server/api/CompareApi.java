package dev.conlab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.server.compare.Comparison;
import dev.conlab.server.compare.ComparisonRequest;
import dev.conlab.server.compare.ComparisonService;
import dev.conlab.server.compare.ComparisonTable;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.Mappers;
import dev.conlab.server.http.Exports;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/** /api/compare and /api/comparisons: a live comparison, sharing one, reading and retracting a shared one. */
public final class CompareApi {

    private final ComparisonService comparisons;

    public CompareApi(ComparisonService comparisons) {
        this.comparisons = comparisons;
    }

    record Shared(String slug, String url) {
    }

    /** GET /api/compare: JSON (default), {@code format=csv} or {@code format=md}. */
    public void compare(Context ctx) {
        write(ctx, comparisons.compute(ComparisonRequest.parse(ctx::queryParams)));
    }

    static void write(Context ctx, Comparison c) {
        Exports.send(ctx, "conlab-comparison", () -> c, () -> ComparisonTable.csv(c), () -> ComparisonTable.markdown(c));
    }

    /** POST /api/comparisons {"runs": [..], "baseline": .., "workloads": [..], "models": [..], "sort": "change", "title": .., "note": ..} */
    public void create(Context ctx) {
        JsonNode body;
        try {
            body = Mappers.JSON.readTree(ctx.body());
        } catch (Exception e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.path("runs").isArray()) {
            throw new LabException.Invalid("send {\"runs\": [A, B], \"baseline\": A, \"title\": \"…\"} (optional: workloads, models, sort, note)");
        }
        JsonNode json = body;
        ComparisonRequest request = ComparisonRequest.parse(name -> switch (name) {
            case "runs", "workloads", "models" -> texts(json.path(name));
            case "baseline" -> json.hasNonNull("baseline") ? List.of(json.get("baseline").asText()) : List.of();
            case "sort" -> List.of(json.path("sort").asText(""));
            default -> List.of();
        });
        String slug = comparisons.share(request, body.path("title").asText(null), body.path("note").asText(null));
        ctx.status(201).header("Location", "/c/" + slug).json(new Shared(slug, "/c/" + slug));
    }

    private static List<String> texts(JsonNode array) {
        var items = new ArrayList<String>();
        array.forEach(n -> items.add(n.asText()));
        return List.of(String.join(",", items));
    }

    /** GET /api/comparisons/{slug}: the snapshot, as JSON, CSV or Markdown. */
    public void get(Context ctx) {
        write(ctx, comparisons.snapshot(comparisons.shared(ctx.pathParam("slug"))));
    }

    /** DELETE /api/comparisons/{slug} (admin): /c/{slug} answers 410 from now on. */
    public void retract(Context ctx) {
        comparisons.retract(ctx.pathParam("slug"));
        ctx.status(204);
    }
}
