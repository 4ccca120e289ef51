package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import dev.conlab.db.MachineStore;
import dev.conlab.db.Scope;
import dev.conlab.db.TestDatabases;
import dev.conlab.server.archive.LabArchive;
import dev.conlab.server.compare.ComparisonRequest;
import io.javalin.Javalin;
import org.jooq.Record;
import org.jooq.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A lab moved by export and import (issue #28): a lab on an H2 file — 1,000 runs (the sample runs and generated ones), a
 * queued run, a renamed machine, two
 * shared comparisons (one retracted), three tokens (one revoked) — exported and imported into each test database (H2, and
 * PostgreSQL when configured). Every table holds the same rows; every read endpoint answers the same; the permalinks
 * open; the tokens still work; importing the same file again changes nothing.
 */
class LabArchiveTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void every_table_of_the_schema_is_in_the_archive() {
        assertThat(LabArchive.TABLES.stream().map(t -> t.getName().toLowerCase()).sorted().toList())
                .as("a table added by a migration must be added to LabArchive.TABLES, after the tables it refers to")
                .isEqualTo(LabArchive.schemaTables());
        for (int i = 0; i < LabArchive.TABLES.size(); i++) {
            for (var reference : LabArchive.TABLES.get(i).getReferences()) {
                assertThat(LabArchive.TABLES.indexOf(reference.getKey().getTable())).as("%s after the table it refers to", LabArchive.TABLES.get(i))
                        .isLessThanOrEqualTo(i);
            }
        }
    }

    @Test
    void a_lab_exported_from_h2_and_imported_answers_every_read_the_same_and_a_second_import_changes_nothing() throws Exception {
        Database source = Database.open(Database.h2Url(dir.resolve("source")), "sa", "");
        Lab lab = Lab.over(source);
        assertThat(lab.runs().ingest().loadSampleData(Path.of("..", "sample-data"))).isPositive();
        // and generated runs, up to 1,000 (each a small document with its own id)
        long samples = source.dsl().fetchCount(dev.conlab.db.jooq.Tables.RUN);
        var lines = new StringBuilder();
        com.fasterxml.jackson.databind.node.ObjectNode template = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(dev.conlab.bench.TestDocuments.small()));
        for (long i = samples; i < 1000; i++) {
            var doc = template.deepCopy();
            doc.put("id", new java.util.UUID(20261207L, i).toString());
            lines.append(doc).append('\n');
        }
        lab.runs().ingest().storeLines(new java.io.BufferedReader(new java.io.StringReader(lines.toString())),
                dev.conlab.db.RunStore.Source.UPLOAD, n -> { });
        List<Long> runs = source.dsl().select(dev.conlab.db.jooq.Tables.RUN.ID).from(dev.conlab.db.jooq.Tables.RUN)
                .orderBy(dev.conlab.db.jooq.Tables.RUN.ID).fetch(dev.conlab.db.jooq.Tables.RUN.ID);
        var machines = new MachineStore(source);
        MachineStore.Machine renamed = machines.list().get(0);
        assertThat(machines.relabel(renamed.id(), "renamed before the move")).isTrue();
        String kept = lab.comparisons().share(ComparisonRequest.parse("runs=" + runs.get(0) + "," + runs.get(1)), "kept", "a note");
        String gone = lab.comparisons().share(ComparisonRequest.parse("runs=" + runs.get(1) + "," + runs.get(0)), "retracted", null);
        lab.comparisons().retract(gone);
        String upload = lab.tokens().create("uploader", EnumSet.of(Scope.UPLOAD));
        String queue = lab.tokens().create("queuer", EnumSet.of(Scope.QUEUE));
        lab.tokens().create("revoked", EnumSet.of(Scope.ADMIN));
        assertThat(lab.tokens().revoke("revoked")).isTrue();
        var sourceQueue = dev.conlab.server.queue.RunQueue.onThisHost(lab.queueStore(), lab.agents(), dev.conlab.server.queue.RunQueue.DEFAULT_LEASE);
        Javalin sourceApp = App.create(lab, sourceQueue).start("127.0.0.1", 0);
        String sourceBase = "http://127.0.0.1:" + sourceApp.port();
        assertThat(send(sourceBase, "POST", "/api/queue", queue, "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"]}").statusCode()).isEqualTo(201);

        var file = new ByteArrayOutputStream();
        LabArchive.Counts exported = LabArchive.export(source, LabArchive.Filter.ALL, file, p -> { });
        assertThat(runs).hasSize(1000);
        assertThat(exported.rows().get("run")).isEqualTo(runs.size() + 1L);
        assertThat(exported.rows().get("comparison")).isEqualTo(2);
        assertThat(exported.rows().get("api_token")).isEqualTo(3);

        try {
            for (TestDatabases.Named named : TestDatabases.all()) {
                try (Database target = named.open().get()) {
                    LabArchive.Counts imported = LabArchive.importArchive(target, new ByteArrayInputStream(file.toByteArray()), p -> { });
                    assertThat(imported.rows()).as("on %s: rows written", named).isEqualTo(exported.rows());
                    for (Table<?> table : LabArchive.TABLES) {
                        assertThat(rows(target, table)).as("on %s: table %s", named, table.getName()).isEqualTo(rows(source, table));
                    }
                    Lab moved = Lab.over(target);
                    Javalin app = App.create(moved, dev.conlab.server.queue.RunQueue.onThisHost(moved.queueStore(), moved.agents(),
                            dev.conlab.server.queue.RunQueue.DEFAULT_LEASE)).start("127.0.0.1", 0);
                    try {
                        String base = "http://127.0.0.1:" + app.port();
                        var paths = new ArrayList<>(List.of("/api/runs", "/api/machines", "/api/queue", "/api/comparisons/" + kept,
                                "/api/comparisons/" + gone, "/c/" + kept, "/c/" + gone, "/api/runs?machine=" + renamed.id()));
                        // every run's page of the sample data and of one generated run in 25
                        for (int i = 0; i < runs.size(); i++) {
                            if (i < samples || i % 25 == 0) paths.addAll(List.of("/api/runs/" + runs.get(i), "/api/runs/" + runs.get(i) + "/document"));
                        }
                        paths.addAll(List.of("/api/runs?limit=200", "/api/runs?limit=50&offset=500", "/api/compare?runs=" + runs.get(0) + "," + runs.get(1)));
                        for (String path : paths) {
                            HttpResponse<String> before = send(sourceBase, "GET", path, null, null);
                            HttpResponse<String> after = send(base, "GET", path, null, null);
                            assertThat(after.statusCode()).as("on %s: GET %s", named, path).isEqualTo(before.statusCode());
                            if (path.startsWith("/api/")) {
                                assertThat(comparable(after.body())).as("on %s: GET %s", named, path).isEqualTo(comparable(before.body()));
                            }
                        }
                        assertThat(send(base, "GET", "/c/" + kept, null, null).statusCode()).isEqualTo(200);
                        assertThat(send(base, "GET", "/c/" + gone, null, null).statusCode()).isEqualTo(410);
                        // the tokens came along (hashes only): the old secret still uploads; the revoked one stays revoked
                        assertThat(send(base, "POST", "/api/queue", queue, "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"]}").statusCode())
                                .as("on %s: a queue token after the move", named).isEqualTo(201);
                        assertThat(moved.tokens().list()).hasSize(3).anySatisfy(t -> assertThat(t.revokedAt()).isNotNull());
                        assertThat(upload).isNotBlank();
                        // new rows take new ids after the imported ones
                        long newest = target.dsl().select(org.jooq.impl.DSL.max(dev.conlab.db.jooq.Tables.RUN.ID)).from(dev.conlab.db.jooq.Tables.RUN).fetchOne(0, Long.class);
                        assertThat(newest).isGreaterThan(runs.get(runs.size() - 1) + 1);
                    } finally {
                        app.stop();
                    }
                    // the same file again: nothing changes (what the queue token added above stays; nothing is duplicated)
                    long before = target.dsl().fetchCount(dev.conlab.db.jooq.Tables.RUN);
                    LabArchive.Counts again = LabArchive.importArchive(target, new ByteArrayInputStream(file.toByteArray()), p -> { });
                    assertThat(again.total()).as("on %s: rows written by a second import", named).isZero();
                    assertThat(again.totalSkipped()).isEqualTo(exported.total());
                    assertThat(target.dsl().fetchCount(dev.conlab.db.jooq.Tables.RUN)).isEqualTo(before);
                }
            }
        } finally {
            sourceApp.stop();
            sourceQueue.close();
            source.close();
        }
    }

    @Test
    void an_archive_cut_short_imports_what_it_holds_says_so_and_a_whole_copy_completes_it() throws Exception {
        Database source = Database.open(Database.h2Url(dir.resolve("cut")), "sa", "");
        Lab.over(source).runs().ingest().loadSampleData(Path.of("..", "sample-data"));
        var file = new ByteArrayOutputStream();
        LabArchive.Counts exported = LabArchive.export(source, LabArchive.Filter.ALL, file, p -> { });
        byte[] whole = file.toByteArray();
        // the uncompressed stream cut at two thirds, compressed again: what a copy interrupted mid-way leaves
        byte[] plain = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(whole)).readAllBytes();
        var cut = new ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(cut)) {
            gz.write(plain, 0, plain.length * 2 / 3);
        }
        try (Database target = Database.open("jdbc:h2:mem:cut-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            assertThatThrownBy(() -> LabArchive.importArchive(target, new ByteArrayInputStream(cut.toByteArray()), p -> { }))
                    .isInstanceOf(LabArchive.ArchiveException.class).hasMessageContaining("ends early");
            LabArchive.Counts resumed = LabArchive.importArchive(target, new ByteArrayInputStream(whole), p -> { });
            assertThat(resumed.total() + resumed.totalSkipped()).isEqualTo(exported.total());
            assertThat(resumed.totalSkipped()).as("rows the cut import had written").isPositive();
            for (Table<?> table : LabArchive.TABLES) assertThat(rows(target, table)).isEqualTo(rows(source, table));
        } finally {
            source.close();
        }
        assertThatThrownBy(() -> LabArchive.importArchive(null, new ByteArrayInputStream(gzip("{\"format\": \"conlab-export\", \"version\": 99}\n")), p -> { }))
                .isInstanceOf(LabArchive.ArchiveException.class).hasMessageContaining("version 99").hasMessageContaining("newer conlab");
    }

    private static byte[] gzip(String text) throws Exception {
        var out = new ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A table's rows in key order, each as its values. */
    private static List<List<Object>> rows(Database db, Table<?> table) {
        var key = table.getPrimaryKey().getFields().stream().map(f -> (org.jooq.SortField<?>) f.asc()).toList();
        var out = new ArrayList<List<Object>>();
        for (Record r : db.dsl().selectFrom(table).orderBy(key).fetch()) {
            var values = new ArrayList<>();
            for (Object v : r.intoArray()) values.add(v instanceof java.time.OffsetDateTime t ? t.toInstant() : v);
            out.add(values);
        }
        return out;
    }

    /** An answer's JSON without what depends on the moment it is read (an agent's "online", a run's age). */
    private static JsonNode comparable(String body) throws Exception {
        JsonNode node = Json.MAPPER.readTree(body);
        strip(node);
        return node;
    }

    private static void strip(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            for (String volatileField : Set.of("online", "lastSeenSecondsAgo", "ageSeconds", "generatedAt", "estimateSeconds", "elapsedSeconds")) {
                o.remove(volatileField);
            }
            o.forEach(LabArchiveTest::strip);
        } else if (node != null && node.isArray()) {
            node.forEach(LabArchiveTest::strip);
        }
    }

    private static HttpResponse<String> send(String base, String method, String path, String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
