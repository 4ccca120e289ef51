package dev.conlab.server.api;

import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.db.ConflictException;
import dev.conlab.db.RunStore;
import dev.conlab.server.ApiException;
import dev.conlab.server.App;
import dev.conlab.server.Services;
import dev.conlab.server.queue.QueueService;
import io.javalin.http.Context;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /api/runs: upload, list, read (with derived statistics), the stored document, delete. */
public final class RunsApi {

    private static final int CACHED_RUNS = 256;

    private final Services services;
    /** A stored run never changes, so the statistics derived from its document are computed once (LRU, per run id). */
    private final Map<Long, Map<String, Object>> derived = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Map<String, Object>> eldest) {
            return size() > CACHED_RUNS;
        }
    };

    private final QueueService queue;

    /** Runs without a document (queued, running, stopped): what was derived, and the state it was derived at. */
    private final Map<Long, Map.Entry<String, Map<String, Object>>> partials = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Map.Entry<String, Map<String, Object>>> eldest) {
            return size() > 64;
        }
    };

    public RunsApi(Services services, QueueService queue) {
        this.services = services;
        this.queue = queue;
    }

    public void health(Context ctx) {
        ctx.json(Map.of("status", "ok", "runs", services.runs().count()));
    }

    public void upload(Context ctx) {
        Handlers.requireScope(ctx, services, "upload");
        Long length = ctx.req().getContentLengthLong() >= 0 ? ctx.req().getContentLengthLong() : null;
        if (length != null && length > App.MAX_UPLOAD_BYTES) {
            throw new ApiException(413, "the document is " + length + " bytes; the limit is " + App.MAX_UPLOAD_BYTES + " (8 MiB)");
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!ACCEPTED_TYPES.contains(type) && !type.endsWith("+json")) {
            throw new ApiException(415, "a result document is sent as the body with Content-Type: application/json, not " + type);
        }
        String text;
        try {
            text = Ingest.decode(ctx.bodyAsBytes());
        } catch (Ingest.InvalidDocumentException e) {
            throw new ApiException(400, e.problems().get(0).message(), e.problems());
        }
        Ingest.Outcome outcome = ingest(text);
        RunStore.Stored stored = outcome.stored();
        var body = new LinkedHashMap<String, Object>();
        body.put("id", stored.runId());
        body.put("documentId", outcome.document().id());
        body.put("created", stored.created());
        body.put("url", "/api/runs/" + stored.runId());
        ctx.status(stored.created() ? 201 : 200).header("Location", "/api/runs/" + stored.runId()).json(body);
    }

    /** Content types an upload may name: JSON, none, and what curl and scripts send by default for a raw body. */
    private static final java.util.Set<String> ACCEPTED_TYPES = java.util.Set.of("", "application/json", "text/json", "text/plain",
            "application/octet-stream", "application/x-www-form-urlencoded");

    /** Validates and stores an uploaded document (the API and the upload page); a refusal is an ApiException with every problem. */
    private Ingest.Outcome ingest(String text) {
        try {
            return Ingest.store(services.runs(), text, RunStore.Source.UPLOAD);
        } catch (Ingest.InvalidDocumentException e) {
            throw new ApiException(400, "the document is not a valid " + RunDocument.SCHEMA + " result document", e.problems());
        } catch (ConflictException e) {
            throw new ApiException(409, e.getMessage() + "; a document id names one run: make a new id for a new run");
        }
    }

    /** Stores a document uploaded from the browser; returns its run id. */
    public long store(String text) {
        return ingest(text).stored().runId();
    }

    /** A run's document: as stored when it is done, else the cells stored so far. */
    public RunDocument documentOf(RunStore.RunRow row) {
        return row.status().equals("done") ? document(row.id()) : partialDocument(row);
    }

    public void list(Context ctx) {
        int limit = Handlers.intQuery(ctx, "limit", 50, 1, 500);
        int offset = Handlers.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        Integer jdk = ctx.queryParam("jdk") == null ? null : Handlers.intQuery(ctx, "jdk", 0, 1, 1000);
        Long machine = ctx.queryParam("machine") == null ? null : (long) Handlers.intQuery(ctx, "machine", 0, 1, Integer.MAX_VALUE);
        OffsetDateTime since = null;
        if (ctx.queryParam("since") != null) {
            try {
                since = OffsetDateTime.parse(ctx.queryParam("since"));
            } catch (DateTimeParseException e) {
                throw new ApiException(400, "bad since '" + ctx.queryParam("since") + "': use an ISO-8601 time such as 2026-11-22T00:00:00Z");
            }
        }
        var filter = new RunStore.Filter(machine, jdk, ctx.queryParam("suite"), ctx.queryParam("source"),
                ctx.queryParam("model"), ctx.queryParam("workload"), since);
        ctx.json(services.runs().list(filter, offset, limit));
    }

    public void get(Context ctx) {
        long id = Handlers.id(ctx);
        RunStore.RunRow row = services.runs().row(id).orElseThrow(() -> notFound(id));
        if (!row.status().equals("done")) {
            // A run of the queue that is waiting, running or stopped: what its cells say so far, and its progress.
            var body = new LinkedHashMap<String, Object>();
            body.put("run", row);
            body.putAll(partial(row));
            queue.status(id).ifPresent(status -> body.put("progress", status.get("progress")));
            ctx.json(body);
            return;
        }
        Map<String, Object> fromDocument;
        synchronized (derived) {
            fromDocument = derived.get(id);
        }
        if (fromDocument == null) {
            fromDocument = derive(document(id));
            synchronized (derived) {
                derived.put(id, fromDocument);
            }
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("run", row);
        body.putAll(fromDocument);
        ctx.json(body);
    }

    /**
     * What a run without a document shows, derived again only when a cell arrived or its status changed:
     * progress bars poll this page while the run measures on the same host, so it must cost next to nothing.
     */
    private Map<String, Object> partial(RunStore.RunRow row) {
        String key = row.status() + "/" + row.cells() + "/" + (row.startedAt() != null);
        synchronized (partials) {
            var cached = partials.get(row.id());
            if (cached != null && cached.getKey().equals(key)) return cached.getValue();
        }
        Map<String, Object> derivedNow = derive(partialDocument(row));
        synchronized (partials) {
            partials.put(row.id(), Map.entry(key, derivedNow));
        }
        return derivedNow;
    }

    /** A run without a document, as a document of the cells stored so far (machine and JVM once its worker said hello). */
    private RunDocument partialDocument(RunStore.RunRow row) {
        var cells = services.runs().cells(row.id());
        dev.conlab.bench.MachineInfo machine = null;
        dev.conlab.bench.JvmInfo jvm = null;
        dev.conlab.bench.Settings settings = null;
        try {
            String environment = services.queue().environmentJson(row.id()).orElse(null);
            if (environment != null) {
                var node = Json.MAPPER.readTree(environment);
                machine = Json.MAPPER.treeToValue(node.get("machine"), dev.conlab.bench.MachineInfo.class);
                jvm = Json.MAPPER.treeToValue(node.get("jvm"), dev.conlab.bench.JvmInfo.class);
            }
            var queued = services.queue().get(row.id()).orElse(null);
            if (queued != null && queued.specJson() != null) {
                settings = Json.MAPPER.readValue(queued.specJson(), dev.conlab.bench.RunSpec.class).settings();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("run " + row.id() + " holds JSON this version cannot read", e);
        }
        return new RunDocument(RunDocument.SCHEMA, row.documentId(), row.startedAt() == null ? null : row.startedAt().toString(),
                row.finishedAt() == null ? null : row.finishedAt().toString(), row.suite(), machine, jvm, settings,
                cells.stream().map(RunStore.PositionedCell::result).toList());
    }

    /** The machine, JVM, settings and per-cell statistics of a run: everything that comes from its document. */
    private static Map<String, Object> derive(RunDocument doc) {
        var cells = new ArrayList<Map<String, Object>>();
        List<CellSummary> summaries = CellSummary.of(doc);
        for (int i = 0; i < summaries.size(); i++) {
            var cell = doc.results().get(i);
            var map = new LinkedHashMap<String, Object>();
            map.put("workload", cell.workload());
            map.put("model", cell.model());
            map.put("params", cell.params());
            map.put("modelParams", cell.modelParams());
            map.put("status", cell.status());
            map.put("concurrency", cell.concurrency());
            map.put("idealNanos", cell.idealNanos());
            map.put("idealFormula", cell.idealFormula());
            map.put("error", cell.error());
            map.put("samples", cell.samples().size());
            map.put("wall", summaries.get(i).wall());
            map.put("speedup", summaries.get(i).speedup());
            map.put("efficiency", summaries.get(i).efficiency());
            map.put("cpuUtilisation", summaries.get(i).cpuUtilisation());
            cells.add(map);
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("machine", doc.machine());
        body.put("jvm", doc.jvm());
        body.put("settings", doc.settings());
        body.put("cells", cells);
        return java.util.Collections.unmodifiableMap(body);
    }

    /** The columns of a run's CSV and Markdown export, in order (documented in the README). */
    public static final List<String> EXPORT_COLUMNS = List.of("workload", "model", "status", "samples", "median_ns", "ci_low_ns",
            "ci_high_ns", "speedup", "efficiency", "cpu_utilisation", "ideal_ns", "error");

    /** GET /api/runs/{id}/export?format=csv|md|json: the numbers the run page shows, per cell. */
    public void export(Context ctx) {
        long id = Handlers.id(ctx);
        RunStore.RunRow row = services.runs().row(id).orElseThrow(() -> notFound(id));
        RunDocument doc = documentOf(row);
        List<CellSummary> summaries = CellSummary.of(doc);
        var lines = new ArrayList<List<String>>();
        for (int i = 0; i < summaries.size(); i++) {
            CellSummary s = summaries.get(i);
            var w = s.wall();
            lines.add(List.of(s.workload(), s.model(), s.status(), String.valueOf(doc.results().get(i).samples().size()),
                    w == null ? "" : fmt(w.median(), "%.0f"), w == null || w.ciLow() == null ? "" : fmt(w.ciLow(), "%.0f"),
                    w == null || w.ciHigh() == null ? "" : fmt(w.ciHigh(), "%.0f"), fmt(s.speedup(), "%.4f"), fmt(s.efficiency(), "%.4f"),
                    fmt(s.cpuUtilisation(), "%.4f"), s.idealNanos() == null ? "" : String.valueOf(s.idealNanos()),
                    s.error() == null ? "" : s.error().replace('\n', ' ')));
        }
        Exports.send(ctx, "conlab-run-" + id, () -> {
            var rows = new ArrayList<Map<String, String>>();
            for (List<String> line : lines) {
                var map = new LinkedHashMap<String, String>();
                for (int c = 0; c < EXPORT_COLUMNS.size(); c++) map.put(EXPORT_COLUMNS.get(c), line.get(c));
                rows.add(map);
            }
            return Map.of("run", id, "columns", EXPORT_COLUMNS, "cells", rows);
        }, () -> Exports.csv(EXPORT_COLUMNS, lines), () -> "Run #" + id + ": " + doc.suite() + " suite, JDK "
                + (doc.jvm() == null ? "?" : doc.jvm().version()) + ", " + row.machineLabel() + "\n\n"
                + Exports.markdownTable(EXPORT_COLUMNS, lines));
    }

    private static String fmt(Double value, String pattern) {
        return value == null ? "" : String.format(java.util.Locale.ROOT, pattern, value);
    }

    public void document(Context ctx) {
        long id = Handlers.id(ctx);
        String json = services.runs().documentJson(id).orElseThrow(() -> services.runs().row(id)
                .map(row -> new ApiException(404, "run " + id + " is " + row.status() + " and has no result document (only done runs have one); "
                        + "GET /api/runs/" + id + " shows its cells"))
                .orElseGet(() -> notFound(id)));
        ctx.contentType("application/json").result(json);
    }

    public void delete(Context ctx) {
        Handlers.requireScope(ctx, services, "admin");
        long id = Handlers.id(ctx);
        String status = services.runs().row(id).map(RunStore.RunRow::status).orElseThrow(() -> notFound(id));
        if (status.equals("queued") || status.equals("running")) {
            throw new ApiException(409, "run " + id + " is " + status + "; cancel it first with DELETE /api/queue/" + id);
        }
        if (!services.runs().delete(id)) throw notFound(id);
        synchronized (derived) {
            derived.remove(id);
        }
        ctx.status(204);
    }

    private RunDocument document(long id) {
        try {
            return Json.MAPPER.readValue(services.runs().documentJson(id).orElseThrow(() -> notFound(id)), RunDocument.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("run " + id + " holds a document this version cannot read", e);
        }
    }

    static ApiException notFound(long id) {
        return new ApiException(404, "no run " + id + "; GET /api/runs lists them");
    }
}
