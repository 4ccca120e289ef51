package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.db.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API against a real Javalin server on a random port, on H2 and (when configured) PostgreSQL. */
class ApiTest {

    static List<TestDatabases.Named> databases() {
        return TestDatabases.all();
    }

    static String documentJson;
    static RunDocument document;

    @BeforeAll
    static void measure() throws Exception {
        document = dev.conlab.bench.TestDocuments.small();
        documentJson = Json.PRETTY.writeValueAsString(document);
    }

    private InProcessServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;
    private String upload;
    private String admin;
    private String queue;

    private void start(TestDatabases.Named db) {
        server = InProcessServer.start(db);
        upload = server.token("uploader", "upload");
        admin = server.token("admin", "admin");
        queue = server.token("queuer", "queue");
        base = server.base();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    record Reply(int status, JsonNode json, String text) {
    }

    private Reply send(String method, String path, String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            // not JSON
        }
        assertThat(r.body()).as("no stack trace in any response").doesNotContain("\tat ").doesNotContain("Exception:");
        return new Reply(r.statusCode(), json, r.body());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void an_uploaded_document_is_stored_once_and_comes_back_equal_as_json(TestDatabases.Named db) throws Exception {
        start(db);
        Reply created = send("POST", "/api/runs", upload, documentJson);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("url").asText()).isEqualTo("/api/runs/" + id);

        Reply doc = send("GET", "/api/runs/" + id + "/document", null, null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json()).isEqualTo(Json.MAPPER.readTree(documentJson));

        Reply again = send("POST", "/api/runs", upload, documentJson);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asLong()).isEqualTo(id);

        ObjectNode changed = (ObjectNode) Json.MAPPER.readTree(documentJson);
        changed.put("suite", "seed");
        Reply conflict = send("POST", "/api/runs", upload, changed.toString());
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("error").asText()).contains(document.id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void every_write_needs_a_token_with_its_scope(TestDatabases.Named db) throws Exception {
        start(db);
        long id = send("POST", "/api/runs", upload, documentJson).json().get("id").asLong();
        long machine = send("GET", "/api/machines", null, null).json().get(0).get("id").asLong();
        record Write(String method, String path, String body, String scope) {
        }
        var writes = List.of(new Write("POST", "/api/runs", documentJson, "upload"),
                new Write("DELETE", "/api/runs/" + id, null, "admin"),
                new Write("PATCH", "/api/machines/" + machine, "{\"label\": \"x\"}", "admin"),
                new Write("POST", "/api/queue", "{\"suite\": \"smoke\"}", "queue"),
                new Write("DELETE", "/api/queue/" + id, null, "queue"),
                new Write("POST", "/api/queue/" + id + "/retry", null, "queue"),
                new Write("POST", "/api/comparisons", "{\"runs\": [" + id + ", " + id + "], \"title\": \"x\"}", "upload"),
                new Write("DELETE", "/api/comparisons/abcdefghijklmn", null, "admin"));
        for (Write w : writes) {
            Reply none = send(w.method(), w.path(), null, w.body());
            assertThat(none.status()).as(w.method() + " " + w.path()).isEqualTo(401);
            assertThat(none.json().get("error").asText()).contains("Bearer");
            assertThat(send(w.method(), w.path(), "clb_nonsense", w.body()).status()).isEqualTo(401);
            String wrong = w.scope().equals("admin") ? upload : admin;
            Reply forbidden = send(w.method(), w.path(), wrong, w.body());
            assertThat(forbidden.status()).as(w.method() + " " + w.path()).isEqualTo(403);
            assertThat(forbidden.json().get("error").asText()).contains("'" + w.scope() + "'");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void bad_documents_are_refused_with_each_problem_and_nothing_is_stored(TestDatabases.Named db) throws Exception {
        start(db);
        ObjectNode bad = (ObjectNode) Json.MAPPER.readTree(documentJson);
        bad.putArray("results");
        bad.put("startedAt", "yesterday");
        Reply r = send("POST", "/api/runs", upload, bad.toString());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("details").findValuesAsText("path")).contains("$.results", "$.startedAt");

        assertThat(send("POST", "/api/runs", upload, "{\"schema\": \"conlab.run/2\"}").json().get("details").get(0).get("message").asText())
                .contains("unknown schema version");
        assertThat(send("POST", "/api/runs", upload, "{not json").status()).isEqualTo(400);
        // Expect: 100-continue (as curl sends for large bodies): the server answers 413 before the body is sent,
        // instead of closing the connection on a client that is still writing (which made this test flaky).
        HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs")).expectContinue(true)
                .header("Authorization", "Bearer " + upload)
                .POST(HttpRequest.BodyPublishers.ofString("[" + "0,".repeat(5_000_000) + "0]")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(Json.MAPPER.readTree(big.body()).get("error").asText()).contains("8 MiB");
        assertThat(send("GET", "/api/health", null, null).json().get("runs").asInt()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void runs_are_listed_filtered_read_with_statistics_and_deleted(TestDatabases.Named db) throws Exception {
        start(db);
        long id = send("POST", "/api/runs", upload, documentJson).json().get("id").asLong();
        int jdk = Runtime.version().feature();
        assertThat(send("GET", "/api/runs?jdk=" + jdk, null, null).json().get("total").asInt()).isEqualTo(1);
        assertThat(send("GET", "/api/runs?jdk=" + (jdk + 1), null, null).json().get("total").asInt()).isZero();
        assertThat(send("GET", "/api/runs?model=threads&workload=sleep-io&suite=smoke", null, null).json().get("total").asInt()).isEqualTo(1);
        assertThat(send("GET", "/api/runs?model=processes", null, null).json().get("total").asInt()).isZero();
        assertThat(send("GET", "/api/runs?limit=0", null, null).status()).isEqualTo(400);

        Reply run = send("GET", "/api/runs/" + id, null, null);
        assertThat(run.status()).isEqualTo(200);
        Reply csv = send("GET", "/api/runs/" + id + "/export?format=csv", null, null);
        assertThat(csv.text().lines().findFirst().orElseThrow()).isEqualTo(String.join(",", dev.conlab.server.api.RunsApi.EXPORT_COLUMNS));
        assertThat(csv.text().lines().count()).isEqualTo(1 + document.results().size());
        assertThat(send("GET", "/api/runs/" + id + "/export?format=md", null, null).text()).contains("| workload | model | status |");
        assertThat(send("GET", "/api/runs/" + id + "/export?format=json", null, null).json().get("cells")).hasSize(document.results().size());
        JsonNode threads = run.json().get("cells").get(1);
        assertThat(threads.get("model").asText()).isEqualTo("threads");
        assertThat(threads.get("wall").get("median").asDouble()).isPositive();
        assertThat(threads.get("speedup").asDouble()).isPositive();
        assertThat(run.json().get("cells").get(2).get("status").asText()).isEqualTo("unsupported");

        long machine = run.json().get("run").get("machineId").asLong();
        Reply relabel = send("PATCH", "/api/machines/" + machine, admin, "{\"label\": \"build-box\"}");
        assertThat(relabel.json().get("label").asText()).isEqualTo("build-box");
        assertThat(send("GET", "/api/machines", null, null).json().get(0).get("runs").asInt()).isEqualTo(1);

        assertThat(send("DELETE", "/api/runs/" + id, admin, null).status()).isEqualTo(204);
        Reply gone = send("GET", "/api/runs/" + id, null, null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("error").asText()).contains("no run " + id);
        assertThat(send("GET", "/api/nothing", null, null).status()).isEqualTo(404);
        assertThat(send("GET", "/api/runs/abc", null, null).status()).isEqualTo(400);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void queue_requests_are_checked_like_the_cli_and_queued_runs_can_be_cancelled_and_retried(TestDatabases.Named db) throws Exception {
        start(db); // no runner here: queued runs wait
        Reply unknown = send("POST", "/api/queue", queue, "{\"workloads\": [\"sleep-oi\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).contains("sleep-oi").contains("sleep-io");
        Reply fields = send("POST", "/api/queue", queue, "{\"suit\": \"smoke\", \"iterations\": \"many\", \"jdks\": 25}");
        assertThat(fields.status()).isEqualTo(400);
        assertThat(fields.json().get("details").findValuesAsText("path")).containsExactlyInAnyOrder("$.suit", "$.iterations", "$.jdks");
        Reply path = send("POST", "/api/queue", queue, "{\"jdks\": [\"/tmp\"]}");
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.json().get("error").asText()).contains("unknown JDK '/tmp'").contains("installed");
        assertThat(send("POST", "/api/queue", queue, "{\"jdks\": [\"99\"]}").json().get("error").asText()).contains("no JDK 99");
        assertThat(send("POST", "/api/queue", queue, "{\"iterations\": 0}").json().get("error").asText()).contains("iterations must be 1 to");
        assertThat(send("POST", "/api/queue", queue, "{\"params\": {\"sleep-io.nope\": 1}}").json().get("error").asText())
                .contains("unknown parameter 'nope'");
        assertThat(send("POST", "/api/queue", queue, "[1]").status()).isEqualTo(400);
        assertThat(send("GET", "/api/health", null, null).json().get("runs").asInt()).as("nothing queued by a bad request").isZero();

        int jdk = Runtime.version().feature();
        Reply queued = send("POST", "/api/queue", queue, "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"], \"models\": [\"threads\"], "
                + "\"jdks\": [\"" + jdk + "\"], \"params\": {\"sleep-io.tasks\": 3}}");
        assertThat(queued.status()).as(queued.text()).isEqualTo(201);
        long id = queued.json().get("runs").get(0).get("id").asLong();
        assertThat(queued.json().get("runs").get(0).get("status").asText()).isEqualTo("queued");
        assertThat(send("GET", "/api/queue", null, null).json().get("runs").findValuesAsText("id")).containsExactly(String.valueOf(id));
        Reply waiting = send("GET", "/api/runs/" + id, null, null);
        assertThat(waiting.json().get("run").get("cellsTotal").asInt()).isEqualTo(1);
        assertThat(waiting.json().get("progress").get("cellsDone").asInt()).isZero();
        assertThat(waiting.json().get("settings").get("iterations").asInt()).isEqualTo(3);
        assertThat(send("GET", "/api/runs/" + id + "/document", null, null).json().get("error").asText()).contains("is queued");
        assertThat(send("DELETE", "/api/runs/" + id, admin, null).status()).isEqualTo(409);
        assertThat(send("POST", "/api/queue/" + id + "/retry", queue, null).status()).isEqualTo(409);

        Reply cancelled = send("DELETE", "/api/queue/" + id, queue, null);
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(send("DELETE", "/api/queue/" + id, queue, null).status()).isEqualTo(409);
        assertThat(send("DELETE", "/api/queue/999999", queue, null).status()).isEqualTo(404);
        Reply retried = send("POST", "/api/queue/" + id + "/retry", queue, null);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.json().get("retryOf").asLong()).isEqualTo(id);
        assertThat(retried.json().get("status").asText()).isEqualTo("queued");
        assertThat(send("GET", "/api/jdks", null, null).json().get("jdks").findValuesAsText("feature")).contains(String.valueOf(jdk));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void two_runs_compare_with_ratios_verdicts_and_exports_in_stable_columns(TestDatabases.Named db) throws Exception {
        start(db);
        // fixed times (the measured ones of a smoke document can be too noisy for a verdict with 2 samples): 100, 101, … ms
        ObjectNode fixed = (ObjectNode) Json.MAPPER.readTree(documentJson);
        fixed.get("results").forEach(cell -> {
            int i = 0;
            for (JsonNode sample : cell.get("samples")) ((ObjectNode) sample).put("wallNanos", (100 + 3 * i++) * 1_000_000L);
        });
        long base = send("POST", "/api/runs", upload, fixed.toString()).json().get("id").asLong();
        ObjectNode slower = fixed.deepCopy();
        slower.put("id", UUID.randomUUID().toString());
        slower.get("results").forEach(cell -> cell.get("samples").forEach(sample ->
                ((ObjectNode) sample).put("wallNanos", sample.get("wallNanos").asLong() * 2)));
        long other = send("POST", "/api/runs", upload, slower.toString()).json().get("id").asLong();

        Reply c = send("GET", "/api/compare?runs=" + base + "," + other + "&baseline=" + base, null, null);
        assertThat(c.status()).as(c.text()).isEqualTo(200);
        assertThat(c.json().get("baseline").asLong()).isEqualTo(base);
        JsonNode threads = null;
        for (JsonNode block : c.json().get("workloads")) {
            for (JsonNode row : block.get("rows")) if (row.get("model").asText().equals("threads")) threads = row;
        }
        assertThat(threads).isNotNull();
        JsonNode entry = threads.get("entries").get(1);
        assertThat(entry.get("ratio").asDouble()).isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(entry.get("verdict").asText()).isEqualTo("slower");
        assertThat(threads.get("entries").get(0).get("ratio").isNull()).isTrue(); // the baseline itself
        assertThat(c.json().get("method").asText()).contains("Welch");

        Reply same = send("GET", "/api/compare?runs=" + base + "," + base, null, null);
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.json().get("error").asText()).contains("2 to 10 different runs");
        assertThat(send("GET", "/api/compare?runs=" + base + ",999999", null, null).status()).isEqualTo(404);
        assertThat(send("GET", "/api/compare?runs=" + base + "," + other + "&baseline=7", null, null).json().get("error").asText())
                .contains("not one of the runs");
        assertThat(send("GET", "/api/compare?runs=" + base + "," + other + "&format=xml", null, null).status()).isEqualTo(400);

        Reply csv = send("GET", "/api/compare?runs=" + base + "," + other + "&format=csv", null, null);
        assertThat(csv.text().lines().findFirst().orElseThrow()).isEqualTo(String.join(",", dev.conlab.server.compare.Compare.COLUMNS));
        assertThat(csv.text()).contains(",threads," + other + "," + base + ",ok,");
        Reply md = send("GET", "/api/compare?runs=" + base + "," + other + "&format=md", null, null);
        assertThat(md.text()).contains("| workload | model | run |").contains("| slower |");

        Reply page = send("GET", "/compare?runs=" + base + "&runs=" + other, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Compare 2 runs").contains("2.000×").contains("slower");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_shared_comparison_keeps_its_numbers_after_new_runs_and_a_rename_and_answers_410_once_retracted(TestDatabases.Named db) throws Exception {
        start(db);
        long a = send("POST", "/api/runs", upload, documentJson).json().get("id").asLong();
        ObjectNode copy = (ObjectNode) Json.MAPPER.readTree(documentJson);
        copy.put("id", UUID.randomUUID().toString());
        long b = send("POST", "/api/runs", upload, copy.toString()).json().get("id").asLong();
        Reply created = send("POST", "/api/comparisons", upload,
                "{\"runs\": [" + a + ", " + b + "], \"baseline\": " + a + ", \"title\": \"Two <i>runs</i>\", \"note\": \"same doc\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String slug = created.json().get("slug").asText();
        assertThat(slug).hasSizeGreaterThanOrEqualTo(10).matches("[A-Za-z0-9]+");
        JsonNode before = send("GET", "/api/comparisons/" + slug, null, null).json();
        String pageBefore = send("GET", "/c/" + slug, null, null).text();

        // afterwards: another run arrives, the machine is renamed — the shared comparison does not move
        ObjectNode third = (ObjectNode) Json.MAPPER.readTree(documentJson);
        third.put("id", UUID.randomUUID().toString());
        send("POST", "/api/runs", upload, third.toString());
        long machine = send("GET", "/api/machines", null, null).json().get(0).get("id").asLong();
        assertThat(send("PATCH", "/api/machines/" + machine, admin, "{\"label\": \"renamed-box\"}").status()).isEqualTo(200);
        assertThat(send("GET", "/api/comparisons/" + slug, null, null).json()).isEqualTo(before);
        assertThat(send("GET", "/c/" + slug, null, null).text()).isEqualTo(pageBefore).contains("Two &lt;i&gt;runs&lt;/i&gt;")
                .contains("og:description").doesNotContain("renamed-box");
        assertThat(send("GET", "/api/compare?runs=" + a + "," + b, null, null).text()).contains("renamed-box"); // the live one does

        assertThat(send("POST", "/api/comparisons", upload, "{\"runs\": [" + a + ", " + b + "]}").json().get("error").asText())
                .contains("title");
        assertThat(send("DELETE", "/api/comparisons/" + slug, admin, null).status()).isEqualTo(204);
        assertThat(send("GET", "/c/" + slug, null, null).status()).isEqualTo(410);
        assertThat(send("GET", "/api/comparisons/" + slug, null, null).status()).isEqualTo(410);
        assertThat(send("GET", "/c/nosuchslug123", null, null).status()).isEqualTo(404);
    }
}
