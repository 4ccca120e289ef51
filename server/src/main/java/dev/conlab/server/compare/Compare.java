package dev.conlab.server.compare;

import dev.conlab.db.RunStore;
import dev.conlab.server.ApiException;
import dev.conlab.server.Services;
import dev.conlab.server.api.Exports;
import dev.conlab.server.api.RunsApi;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a comparison request ({@code runs=A,B,C&baseline=A&workloads=…&models=…&sort=change}), checks it and
 * computes the {@link Comparison}; writes it as JSON, CSV or Markdown with stable column names.
 */
public final class Compare {

    public static final int MAX_RUNS = 10;
    /** The CSV and Markdown columns, in order (documented in the README). */
    public static final List<String> COLUMNS = List.of("workload", "model", "run", "baseline_run", "status", "median_ns",
            "ci_low_ns", "ci_high_ns", "samples", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value", "verdict");

    private final Services services;
    private final RunsApi runs;

    public Compare(Services services, RunsApi runs) {
        this.services = services;
        this.runs = runs;
    }

    /** The request as the page's links repeat it. */
    public record Request(List<Long> runs, long baseline, Set<String> workloads, Set<String> models, boolean sortByChange) {
        public String query() {
            return "runs=" + String.join(",", runs.stream().map(String::valueOf).toList()) + "&baseline=" + baseline
                    + (workloads.isEmpty() ? "" : "&workloads=" + String.join(",", workloads))
                    + (models.isEmpty() ? "" : "&models=" + String.join(",", models))
                    + (sortByChange ? "&sort=change" : "");
        }
    }

    public static Request parse(Context ctx) {
        return parse(ctx::queryParams);
    }

    /** The same request from a query string (the share form repeats the comparison's). */
    public static Request parse(String query) {
        var params = new java.util.LinkedHashMap<String, List<String>>();
        for (String pair : (query == null ? "" : query).split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return parse(name -> params.getOrDefault(name, List.of()));
    }

    private static Request parse(java.util.function.Function<String, List<String>> param) {
        // runs=1,2 from a link, or runs=1&runs=2 from the checkboxes of /runs
        String text = String.join(",", param.apply("runs"));
        if (text == null || text.isBlank()) {
            throw new ApiException(400, "say which runs to compare: runs=A,B (run ids, 2 to " + MAX_RUNS + "), e.g. /compare?runs=1,2&baseline=1");
        }
        var ids = new LinkedHashSet<Long>();
        for (String part : text.split(",")) {
            try {
                long id = Long.parseLong(part.trim());
                if (id <= 0) throw new NumberFormatException();
                ids.add(id);
            } catch (NumberFormatException e) {
                throw new ApiException(400, "bad run id '" + part.trim() + "' in runs: ids are positive whole numbers, e.g. runs=1,2");
            }
        }
        if (ids.size() < 2 || ids.size() > MAX_RUNS) {
            throw new ApiException(400, "compare 2 to " + MAX_RUNS + " different runs, not " + ids.size());
        }
        long baseline = ids.iterator().next();
        String b = param.apply("baseline").isEmpty() ? null : param.apply("baseline").get(0);
        if (b != null && !b.isBlank()) {
            try {
                baseline = Long.parseLong(b.trim());
            } catch (NumberFormatException e) {
                throw new ApiException(400, "bad baseline '" + b + "': give one of the runs' ids");
            }
            if (!ids.contains(baseline)) throw new ApiException(400, "the baseline " + baseline + " is not one of the runs " + ids);
        }
        return new Request(List.copyOf(ids), baseline, set(String.join(",", param.apply("workloads"))),
                set(String.join(",", param.apply("models"))), param.apply("sort").contains("change"));
    }

    private static Set<String> set(String csv) {
        var set = new LinkedHashSet<String>();
        if (csv != null) for (String s : csv.split(",")) if (!s.isBlank()) set.add(s.trim());
        return set;
    }

    public Comparison compute(Request request) {
        var inputs = new ArrayList<Comparison.Input>();
        for (long id : request.runs()) {
            RunStore.RunRow row = services.runs().row(id).orElseThrow(() -> new ApiException(404, "no run " + id + "; /runs lists them"));
            inputs.add(new Comparison.Input(id, row.machineLabel(), row.source(), runs.documentOf(row)));
        }
        return Comparison.of(inputs, request.baseline(), request.workloads(), request.models(), request.sortByChange());
    }

    /** GET /api/compare: JSON (default), {@code format=csv} or {@code format=md}. */
    public void api(Context ctx) {
        write(ctx, compute(parse(ctx)));
    }

    /** Writes a comparison as {@code format=json} (default), {@code csv} or {@code md}. */
    public static void write(Context ctx, Comparison c) {
        Exports.send(ctx, "conlab-comparison", () -> c, () -> csv(c), () -> markdown(c));
    }

    /**
     * Shares a comparison: computed now and stored as it is, under a new slug.
     *
     * @return the slug
     */
    public String share(Request request, String title, String note) {
        String t = title == null ? "" : title.strip();
        if (t.isEmpty() || t.length() > 200) throw new ApiException(400, "a shared comparison needs a title of 1 to 200 characters");
        String n = note == null || note.isBlank() ? null : note.strip();
        if (n != null && n.length() > 4000) throw new ApiException(400, "the note is " + n.length() + " characters; the limit is 4000");
        Comparison c = compute(request);
        try {
            return services.comparisons().create(t, n, request.query(), dev.conlab.server.App.MAPPER.writeValueAsString(c));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A shared comparison's snapshot; 404 when there is none, 410 when it was retracted. */
    public Comparison snapshot(dev.conlab.db.ComparisonStore.Shared shared) {
        try {
            return dev.conlab.server.App.MAPPER.readValue(shared.snapshotJson(), Comparison.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("comparison " + shared.slug() + " holds JSON this version cannot read", e);
        }
    }

    public dev.conlab.db.ComparisonStore.Shared shared(String slug) {
        var shared = services.comparisons().get(slug).orElseThrow(() -> new ApiException(404, "no shared comparison '" + slug + "'"));
        if (shared.retractedAt() != null) throw new ApiException(410, "this comparison was retracted by its owner");
        return shared;
    }

    /** POST /api/comparisons {"runs": [..], "baseline": .., "workloads": [..], "models": [..], "sort": "change", "title": .., "note": ..} */
    public void create(Context ctx) {
        dev.conlab.server.Auth.require(ctx, services.tokens(), "upload");
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = dev.conlab.server.App.MAPPER.readTree(ctx.body());
        } catch (Exception e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.path("runs").isArray()) {
            throw new ApiException(400, "send {\"runs\": [A, B], \"baseline\": A, \"title\": \"…\"} (optional: workloads, models, sort, note)");
        }
        var query = new StringBuilder("runs=");
        var ids = new ArrayList<String>();
        body.path("runs").forEach(n -> ids.add(n.asText()));
        query.append(String.join(",", ids));
        if (body.hasNonNull("baseline")) query.append("&baseline=").append(body.get("baseline").asText());
        for (String list : List.of("workloads", "models")) {
            var items = new ArrayList<String>();
            body.path(list).forEach(n -> items.add(n.asText()));
            if (!items.isEmpty()) query.append('&').append(list).append('=').append(String.join(",", items));
        }
        if ("change".equals(body.path("sort").asText())) query.append("&sort=change");
        String slug = share(parse(query.toString()), body.path("title").asText(null), body.path("note").asText(null));
        ctx.status(201).header("Location", "/c/" + slug).json(java.util.Map.of("slug", slug, "url", "/c/" + slug));
    }

    /** GET /api/comparisons/{slug}: the snapshot, as JSON, CSV or Markdown. */
    public void get(Context ctx) {
        write(ctx, snapshot(shared(ctx.pathParam("slug"))));
    }

    /** DELETE /api/comparisons/{slug} (admin): /c/{slug} answers 410 from now on. */
    public void retract(Context ctx) {
        dev.conlab.server.Auth.require(ctx, services.tokens(), "admin");
        String slug = ctx.pathParam("slug");
        if (services.comparisons().get(slug).isEmpty()) throw new ApiException(404, "no shared comparison '" + slug + "'");
        services.comparisons().retract(slug);
        ctx.status(204);
    }

    private static List<List<String>> lines(Comparison c) {
        var lines = new ArrayList<List<String>>();
        for (var block : c.workloads()) {
            for (var row : block.rows()) {
                for (var e : row.entries()) {
                    lines.add(List.of(row.workload(), row.model(), String.valueOf(e.run()), String.valueOf(c.baseline()), e.status(),
                            num(e.medianNanos()), num(e.ciLowNanos()), num(e.ciHighNanos()), String.valueOf(e.samples()),
                            ratio(e.ratio()), ratio(e.ratioLow()), ratio(e.ratioHigh()), e.p() == null ? "" : String.format(Locale.ROOT, "%.4g", e.p()),
                            e.verdict() == null ? "" : e.verdict()));
                }
            }
        }
        return lines;
    }

    static String csv(Comparison c) {
        return Exports.csv(COLUMNS, lines(c));
    }

    static String markdown(Comparison c) {
        var out = new StringBuilder();
        out.append("Runs: ").append(String.join(", ", c.runs().stream().map(r -> r.label() + (r.baseline() ? " (baseline)" : "")).toList()))
                .append("\n\n");
        for (String w : c.warnings()) out.append("> ").append(w).append("\n\n");
        out.append(Exports.markdownTable(COLUMNS, lines(c)));
        out.append("\n").append(c.method()).append('\n');
        return out.toString();
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String ratio(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
