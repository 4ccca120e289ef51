package dev.conlab.server.api;

import dev.conlab.db.RunStatus;
import dev.conlab.db.RunStore;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.TextTables;
import dev.conlab.server.http.Bodies;
import dev.conlab.server.http.Exports;
import dev.conlab.server.http.HttpError;
import dev.conlab.server.http.Requests;
import dev.conlab.server.queue.QueueEntry;
import dev.conlab.server.queue.RunQueue;
import dev.conlab.bench.jmh.JmhImport;
import dev.conlab.server.runs.Ingest;
import dev.conlab.server.runs.RunService;
import dev.conlab.server.runs.RunTable;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** /api/runs: upload, list, read (with derived statistics), the stored document, exports, delete. */
public final class RunsApi {

    /** Content types an upload may name: JSON, none, and what curl and scripts send by default for a raw body. */
    private static final Set<String> ACCEPTED_TYPES = Set.of("", "application/json", "text/json", "text/plain",
            "application/octet-stream", "application/x-www-form-urlencoded");

    private final RunService runs;
    private final RunQueue queue;

    public RunsApi(RunService runs, RunQueue queue) {
        this.runs = runs;
        this.queue = queue;
    }

    record Health(String status, int runs) {
    }

    record Uploaded(long id, String documentId, boolean created, String url) {
    }

    /** @param findings the curves' crossovers, breaks and USL fits, one sentence each (empty without sweeps) */
    /** A run's export as JSON: its answers first (one per workload and point), then every cell's row, then the curves' findings. */
    record Export(long run, List<dev.conlab.bench.stats.WorkAnswers> answers, List<String> columns, List<Map<String, String>> cells,
                  List<String> findings) {
    }

    public void health(Context ctx) {
        ctx.json(new Health("ok", runs.count()));
    }

    public void upload(Context ctx) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!ACCEPTED_TYPES.contains(type) && !type.endsWith("+json")) {
            throw new HttpError(415, "a result document is sent as the body with Content-Type: application/json, not " + type);
        }
        String format = ctx.queryParam("format");
        if (format != null && !format.equals("jmh") && !format.equals("conlab")) {
            throw new LabException.Invalid("bad format '" + format + "': send format=jmh for a JMH result file, format=conlab (or none) for a result document");
        }
        String text = Ingest.decode(Bodies.document(ctx));
        Ingest.Outcome outcome = "jmh".equals(format) || format == null && JmhImport.looksLikeJmh(text)
                ? uploadJmh(ctx, text)
                : runs.ingest().store(text, RunStore.Source.UPLOAD);
        RunStore.Stored stored = outcome.stored();
        ctx.status(stored.created() ? 201 : 200).header("Location", "/api/runs/" + stored.runId())
                .json(new Uploaded(stored.runId(), outcome.document().id(), stored.created(), "/api/runs/" + stored.runId()));
    }

    /**
     * A JMH result file as the body (a JSON array, or format=jmh): JMH records no machine, so {@code machine=ID} names the
     * lab's machine it ran on ({@code conlab upload --jmh} sends a document with this machine's probe instead);
     * {@code finishedAt} (ISO-8601) when it ran, default now; {@code file} its name.
     */
    private Ingest.Outcome uploadJmh(Context ctx, String text) {
        String machine = ctx.queryParam("machine");
        if (machine == null || machine.isBlank()) {
            throw new LabException.Invalid("a JMH result file records the JVM but not the machine: name the lab's machine it ran on with "
                    + "?machine=ID (GET /api/machines lists them), or upload it with conlab upload --jmh FILE, which adds this machine's facts");
        }
        long machineId = Requests.intQuery(ctx, "machine", 0, 1, Integer.MAX_VALUE);
        java.time.Instant finishedAt = java.time.Instant.now();
        if (ctx.queryParam("finishedAt") != null) {
            try {
                finishedAt = OffsetDateTime.parse(ctx.queryParam("finishedAt")).toInstant();
            } catch (DateTimeParseException e) {
                throw new LabException.Invalid("bad finishedAt '" + ctx.queryParam("finishedAt") + "': use an ISO-8601 time such as 2026-11-22T04:00:00Z");
            }
        }
        String file = ctx.queryParam("file");
        if (file != null && (file.length() > 200 || dev.conlab.server.runs.DocumentValidator.badText(file) != null)) {
            throw new LabException.Invalid("bad file name: at most 200 characters of text");
        }
        return runs.ingest().storeJmh(text, runs.machineFacts(machineId), finishedAt, file, RunStore.Source.UPLOAD);
    }

    public void list(Context ctx) {
        int limit = Requests.intQuery(ctx, "limit", 50, 1, 500);
        int offset = Requests.intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        Integer jdk = ctx.queryParam("jdk") == null ? null : Requests.intQuery(ctx, "jdk", 0, 1, 1000);
        Long machine = ctx.queryParam("machine") == null ? null : (long) Requests.intQuery(ctx, "machine", 0, 1, Integer.MAX_VALUE);
        OffsetDateTime since = null;
        if (ctx.queryParam("since") != null) {
            try {
                since = OffsetDateTime.parse(ctx.queryParam("since"));
            } catch (DateTimeParseException e) {
                throw new LabException.Invalid("bad since '" + ctx.queryParam("since") + "': use an ISO-8601 time such as 2026-11-22T00:00:00Z");
            }
        }
        var filter = new RunStore.Filter(machine, jdk, ctx.queryParam("suite"), ctx.queryParam("source"),
                ctx.queryParam("model"), ctx.queryParam("workload"), since);
        ctx.json(runs.list(filter, offset, limit));
    }

    public void get(Context ctx) {
        long id = Requests.id(ctx);
        RunStore.RunRow row = runs.row(id);
        // A run of the queue that waits, runs or stopped: what its cells say so far, and its progress.
        var progress = row.status() == RunStatus.DONE ? null : queue.find(id).map(QueueEntry::progress).orElse(null);
        ctx.json(RunAnswer.of(row, runs.figures(row), progress));
    }

    /** GET /api/runs/{id}/export?format=csv|md|json: the numbers the run page shows, per cell. */
    public void export(Context ctx) {
        RunTable table = runs.table(Requests.id(ctx));
        Exports.send(ctx, "conlab-run-" + table.run(), () -> {
            var rows = new ArrayList<Map<String, String>>();
            for (List<String> line : table.lines()) {
                var map = new LinkedHashMap<String, String>();
                for (int c = 0; c < RunTable.COLUMNS.size(); c++) map.put(RunTable.COLUMNS.get(c), line.get(c));
                rows.add(map);
            }
            return new Export(table.run(), table.answers(), RunTable.COLUMNS, rows, table.sentences());
        }, () -> TextTables.csv(RunTable.COLUMNS, table.lines()), () -> table.title() + "\n\n"
                + (table.answers().isEmpty() ? "" : String.join("\n", table.answers().stream().map(a -> "- " + a.sentence()).toList()) + "\n\n")
                + TextTables.markdown(RunTable.COLUMNS, table.lines())
                + (table.sentences().isEmpty() ? "" : "\n" + String.join("\n", table.sentences().stream().map(t -> "- " + t).toList()) + "\n"));
    }

    public void document(Context ctx) {
        ctx.contentType("application/json").result(runs.documentJson(Requests.id(ctx)));
    }

    public void delete(Context ctx) {
        runs.delete(Requests.id(ctx));
        ctx.status(204);
    }
}
