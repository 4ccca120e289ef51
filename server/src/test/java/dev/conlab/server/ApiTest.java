package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Scope;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API against a real Javalin server on a random port, on H2 and (when configured) PostgreSQL. */
class ApiTest extends ApiFixture {

    @OnEachDatabase
    void an_uploaded_document_is_stored_once_and_comes_back_equal_as_json(InProcessServer server) throws Exception {
        start(server);
        InProcessServer.Reply created = send("POST", "/api/runs", upload, documentJson);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("url").asText()).isEqualTo("/api/runs/" + id);

        InProcessServer.Reply doc = send("GET", "/api/runs/" + id + "/document", null, null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json()).isEqualTo(Json.MAPPER.readTree(documentJson));

        InProcessServer.Reply again = send("POST", "/api/runs", upload, documentJson);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asLong()).isEqualTo(id);

        ObjectNode changed = (ObjectNode) Json.MAPPER.readTree(documentJson);
        changed.put("suite", "seed");
        InProcessServer.Reply conflict = send("POST", "/api/runs", upload, changed.toString());
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("error").asText()).contains(document.id());
    }

    @OnEachDatabase
    void every_write_needs_a_token_with_its_scope(InProcessServer server) throws Exception {
        start(server);
        long id = send("POST", "/api/runs", upload, documentJson).json().get("id").asLong();
        long machine = send("GET", "/api/machines", null, null).json().get(0).get("id").asLong();
        record Write(String method, String path, String body, Scope scope) {
        }
        var writes = List.of(new Write("POST", "/api/runs", documentJson, Scope.UPLOAD),
                new Write("DELETE", "/api/runs/" + id, null, Scope.ADMIN),
                new Write("PATCH", "/api/machines/" + machine, "{\"label\": \"x\"}", Scope.ADMIN),
                new Write("POST", "/api/queue", "{\"suite\": \"smoke\"}", Scope.QUEUE),
                new Write("DELETE", "/api/queue/" + id, null, Scope.QUEUE),
                new Write("POST", "/api/queue/" + id + "/retry", null, Scope.QUEUE),
                new Write("POST", "/api/comparisons", "{\"runs\": [" + id + ", " + id + "], \"title\": \"x\"}", Scope.UPLOAD),
                new Write("DELETE", "/api/comparisons/abcdefghijklmn", null, Scope.ADMIN));
        for (Write w : writes) {
            InProcessServer.Reply none = send(w.method(), w.path(), null, w.body());
            assertThat(none.status()).as(w.method() + " " + w.path()).isEqualTo(401);
            assertThat(none.json().get("error").asText()).contains("Bearer");
            assertThat(send(w.method(), w.path(), "clb_nonsense", w.body()).status()).isEqualTo(401);
            String wrong = w.scope() == Scope.ADMIN ? upload : admin;
            InProcessServer.Reply forbidden = send(w.method(), w.path(), wrong, w.body());
            assertThat(forbidden.status()).as(w.method() + " " + w.path()).isEqualTo(403);
            assertThat(forbidden.json().get("error").asText()).contains("'" + w.scope().id() + "'");
        }
    }

    @OnEachDatabase
    void bad_documents_are_refused_with_each_problem_and_nothing_is_stored(InProcessServer server) throws Exception {
        start(server);
        ObjectNode bad = (ObjectNode) Json.MAPPER.readTree(documentJson);
        bad.putArray("results");
        bad.put("startedAt", "yesterday");
        InProcessServer.Reply r = send("POST", "/api/runs", upload, bad.toString());
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

    @OnEachDatabase
    void runs_are_listed_filtered_read_with_statistics_and_deleted(InProcessServer server) throws Exception {
        start(server);
        long id = send("POST", "/api/runs", upload, documentJson).json().get("id").asLong();
        int jdk = document.jvm().feature();
        assertThat(send("GET", "/api/runs?jdk=" + jdk, null, null).json().get("total").asInt()).isEqualTo(1);
        assertThat(send("GET", "/api/runs?jdk=" + (jdk + 1), null, null).json().get("total").asInt()).isZero();
        assertThat(send("GET", "/api/runs?model=threads&workload=sleep-io&suite=smoke", null, null).json().get("total").asInt()).isEqualTo(1);
        assertThat(send("GET", "/api/runs?model=processes", null, null).json().get("total").asInt()).isZero();
        assertThat(send("GET", "/api/runs?limit=0", null, null).status()).isEqualTo(400);

        InProcessServer.Reply run = send("GET", "/api/runs/" + id, null, null);
        assertThat(run.status()).isEqualTo(200);
        InProcessServer.Reply csv = send("GET", "/api/runs/" + id + "/export?format=csv", null, null);
        assertThat(csv.text().lines().findFirst().orElseThrow()).isEqualTo(String.join(",", dev.conlab.server.runs.RunTable.COLUMNS));
        assertThat(csv.text().lines().count()).isEqualTo(1 + document.results().size());
        assertThat(send("GET", "/api/runs/" + id + "/export?format=md", null, null).text()).contains("| workload | model | status |");
        assertThat(send("GET", "/api/runs/" + id + "/export?format=json", null, null).json().get("cells")).hasSize(document.results().size());
        JsonNode threads = run.json().get("cells").get(1);
        assertThat(threads.get("model").asText()).isEqualTo("threads");
        assertThat(threads.get("wall").get("median").asDouble()).isPositive();
        assertThat(threads.get("speedup").asDouble()).isPositive();
        assertThat(run.json().get("cells").get(2).get("status").asText()).isEqualTo("unsupported");

        long machine = run.json().get("run").get("machineId").asLong();
        InProcessServer.Reply relabel = send("PATCH", "/api/machines/" + machine, admin, "{\"label\": \"build-box\"}");
        assertThat(relabel.json().get("label").asText()).isEqualTo("build-box");
        assertThat(send("GET", "/api/machines", null, null).json().get(0).get("runs").asInt()).isEqualTo(1);

        assertThat(send("DELETE", "/api/runs/" + id, admin, null).status()).isEqualTo(204);
        InProcessServer.Reply gone = send("GET", "/api/runs/" + id, null, null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("error").asText()).contains("no run " + id);
        assertThat(send("GET", "/api/nothing", null, null).status()).isEqualTo(404);
        assertThat(send("GET", "/api/runs/abc", null, null).status()).isEqualTo(400);
    }

    @OnEachDatabase
    void queue_requests_are_checked_like_the_cli_and_queued_runs_can_be_cancelled_and_retried(InProcessServer server) throws Exception {
        start(server); // no runner here: queued runs wait
        InProcessServer.Reply unknown = send("POST", "/api/queue", queue, "{\"workloads\": [\"sleep-oi\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).contains("sleep-oi").contains("sleep-io");
        InProcessServer.Reply fields = send("POST", "/api/queue", queue, "{\"suit\": \"smoke\", \"iterations\": \"many\", \"jdks\": 25}");
        assertThat(fields.status()).isEqualTo(400);
        assertThat(fields.json().get("details").findValuesAsText("path")).containsExactlyInAnyOrder("$.suit", "$.iterations", "$.jdks");
        InProcessServer.Reply path = send("POST", "/api/queue", queue, "{\"jdks\": [\"/tmp\"]}");
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.json().get("error").asText()).contains("unknown JDK '/tmp'").contains("installed");
        assertThat(send("POST", "/api/queue", queue, "{\"jdks\": [\"99\"]}").json().get("error").asText()).contains("no JDK 99");
        assertThat(send("POST", "/api/queue", queue, "{\"iterations\": 0}").json().get("error").asText()).contains("iterations must be 1 to");
        assertThat(send("POST", "/api/queue", queue, "{\"params\": {\"sleep-io.nope\": 1}}").json().get("error").asText())
                .contains("unknown parameter 'nope'");
        assertThat(send("POST", "/api/queue", queue, "[1]").status()).isEqualTo(400);
        assertThat(send("GET", "/api/health", null, null).json().get("runs").asInt()).as("nothing queued by a bad request").isZero();

        int jdk = document.jvm().feature();
        InProcessServer.Reply queued = send("POST", "/api/queue", queue, "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"], \"models\": [\"threads\"], "
                + "\"jdks\": [\"" + jdk + "\"], \"params\": {\"sleep-io.tasks\": 3}}");
        assertThat(queued.status()).as(queued.text()).isEqualTo(201);
        long id = queued.json().get("runs").get(0).get("id").asLong();
        assertThat(queued.json().get("runs").get(0).get("status").asText()).isEqualTo("queued");
        assertThat(send("GET", "/api/queue", null, null).json().get("runs").findValuesAsText("id")).containsExactly(String.valueOf(id));
        InProcessServer.Reply waiting = send("GET", "/api/runs/" + id, null, null);
        assertThat(waiting.json().get("run").get("cellsTotal").asInt()).isEqualTo(1);
        assertThat(waiting.json().get("progress").get("cellsDone").asInt()).isZero();
        assertThat(waiting.json().get("settings").get("iterations").asInt()).isEqualTo(3);
        assertThat(send("GET", "/api/runs/" + id + "/document", null, null).json().get("error").asText()).contains("is queued");
        assertThat(send("DELETE", "/api/runs/" + id, admin, null).status()).isEqualTo(409);
        assertThat(send("POST", "/api/queue/" + id + "/retry", queue, null).status()).isEqualTo(409);

        InProcessServer.Reply cancelled = send("DELETE", "/api/queue/" + id, queue, null);
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(send("DELETE", "/api/queue/" + id, queue, null).status()).isEqualTo(409);
        assertThat(send("DELETE", "/api/queue/999999", queue, null).status()).isEqualTo(404);
        InProcessServer.Reply retried = send("POST", "/api/queue/" + id + "/retry", queue, null);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.json().get("retryOf").asLong()).isEqualTo(id);
        assertThat(retried.json().get("status").asText()).isEqualTo("queued");
        assertThat(send("GET", "/api/jdks", null, null).json().get("jdks").findValuesAsText("feature")).contains(String.valueOf(jdk));
    }

    @OnEachDatabase
    void a_python_run_is_stored_shown_and_compared_with_a_jvm_run_by_each_runtimes_fastest_model(InProcessServer server) throws Exception {
        start(server);
        InProcessServer.Reply jvm = send("POST", "/api/runs", upload, dev.conlab.bench.TestDocuments.runtimesJson("jdk25"));
        InProcessServer.Reply python = send("POST", "/api/runs", upload, dev.conlab.bench.TestDocuments.runtimesJson("python"));
        assertThat(jvm.status()).as(jvm.text()).isEqualTo(201);
        assertThat(python.status()).as(python.text()).isEqualTo(201);
        long jvmId = jvm.json().get("id").asLong();
        long pythonId = python.json().get("id").asLong();

        JsonNode answer = send("GET", "/api/runs/" + pythonId, null, null).json();
        assertThat(answer.get("run").get("runtime").asText()).isEqualTo("python");
        assertThat(answer.get("jvm").isNull()).isTrue();
        assertThat(answer.get("python").get("implementation").asText()).isEqualTo("CPython");
        // speedups against the Python baseline, serial
        assertThat(answer.get("cells")).filteredOn(c -> c.get("model").asText().equals("serial") && c.get("speedup").isNumber())
                .isNotEmpty().allSatisfy(c -> assertThat(c.get("speedup").asDouble()).isEqualTo(1.0));
        String page = send("GET", "/runs/" + pythonId, null, null).text();
        assertThat(page).contains("CPython 3.").contains("GIL").doesNotContain("on JDK 0");
        assertThat(send("GET", "/runs", null, null).text()).contains("CPython 3.");

        InProcessServer.Reply c = send("GET", "/api/compare?runs=" + jvmId + "," + pythonId + "&baseline=" + jvmId, null, null);
        assertThat(c.status()).as(c.text()).isEqualTo(200);
        for (JsonNode block : c.json().get("workloads")) {
            JsonNode best = block.get("rows").get(0);
            assertThat(best.get("model").asText()).as(block.get("workload").asText()).isEqualTo("best-model");
            JsonNode python0 = best.get("entries").get(1);
            assertThat(best.get("entries").get(0).get("model").asText()).isNotEqualTo("serial");
            assertThat(python0.get("model").asText()).isIn("serial", "threading", "thread-pool", "process-pool", "multiprocessing-pool",
                    "asyncio", "uvloop", "gevent");
            if (block.get("workload").asText().equals("sleep-io")) { // the same 10 tasks of 4 ms on both runtimes
                assertThat(python0.get("ratio").asDouble()).isPositive();
                assertThat(python0.get("ratioLow").asDouble()).isLessThanOrEqualTo(python0.get("ratio").asDouble());
                assertThat(python0.get("ratioHigh").asDouble()).isGreaterThanOrEqualTo(python0.get("ratio").asDouble());
            } else { // cpu-sum: the smoke suites sum 200,000 ints per task on the JVM, 20,000 on Python — no ratio of different work
                assertThat(python0.get("ratio").isNull()).isTrue();
                assertThat(python0.get("verdict").asText()).startsWith("not comparable: other parameters");
            }
        }
        assertThat(send("GET", "/compare?runs=" + jvmId + "&runs=" + pythonId, null, null).text())
                .contains("fastest model of each runtime").contains("CPython 3.");
    }

    @OnEachDatabase
    void the_queue_takes_python_interpreters_found_here_and_refuses_others_with_the_ones_found(InProcessServer server) throws Exception {
        start(server);
        JsonNode runtimes = send("GET", "/api/runtimes", null, null).json();
        assertThat(runtimes.get("jdks")).isNotEmpty();
        InProcessServer.Reply bad = send("POST", "/api/queue", queue,
                "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"], \"pythons\": [\"/tmp/not-a-python\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("unknown Python '/tmp/not-a-python'");
        InProcessServer.Reply model = send("POST", "/api/queue", queue,
                "{\"suite\": \"smoke\", \"models\": [\"virtual-threads\"], \"pythons\": [\"python3\"]}");
        assertThat(model.status()).isEqualTo(400);
        assertThat(model.json().get("error").asText()).contains("unknown Python model 'virtual-threads'").contains("asyncio");
        InProcessServer.Reply wrongType = send("POST", "/api/queue", queue, "{\"suite\": \"smoke\", \"pythons\": \"python3\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.text()).contains("$.pythons");
    }

    @OnEachDatabase
    void a_sweep_or_a_bad_one_is_checked_when_queued(InProcessServer server) throws Exception {
        start(server);
        InProcessServer.Reply bad = send("POST", "/api/queue", queue,
                "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"], \"params\": {\"sleep-io.tasks\": \"10..1\"}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("the range is empty");
        InProcessServer.Reply list = send("POST", "/api/queue", queue,
                "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"], \"params\": {\"sleep-io.tasks\": [1, 2.5]}}");
        assertThat(list.status()).isEqualTo(400);
        assertThat(list.text()).contains("list of whole numbers to sweep");
    }

    @OnEachDatabase
    void a_9_mib_upload_from_pythons_urllib_gets_the_413_and_its_sentence_not_a_broken_pipe(InProcessServer server) throws Exception {
        start(server);
        // urllib writes the whole body before it reads the answer: the server must read (and drop) it before answering
        String script = """
                import json, sys, urllib.request, urllib.error
                body = b'[' + b'0,' * (9 * 1024 * 1024 // 2) + b'0]'
                request = urllib.request.Request(sys.argv[1] + '/api/runs', data=body, method='POST',
                    headers={'Content-Type': 'application/json', 'Authorization': 'Bearer ' + sys.argv[2]})
                try:
                    urllib.request.urlopen(request, timeout=60)
                    print('accepted')
                except urllib.error.HTTPError as e:
                    print(e.code, json.loads(e.read())['error'])
                """;
        Process python = Python.start(script, base, upload);
        String answer = new String(python.getInputStream().readAllBytes()).strip();
        String errors = new String(python.getErrorStream().readAllBytes());
        assertThat(python.waitFor()).as(errors).isZero();
        assertThat(answer).startsWith("413 ").contains("8 MiB").contains(String.valueOf(8L << 20));
        assertThat(send("GET", "/api/health", null, null).json().get("runs").asInt()).isZero();
    }

    @OnEachDatabase
    void a_parameter_without_a_name_is_refused_with_its_path_and_nothing_is_stored(InProcessServer server) throws Exception {
        start(server);
        // the fuzzer's finding: an empty key made the schema validator throw while it built the error's path (a 500)
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(documentJson);
        ((ObjectNode) doc.get("results").get(0).get("params")).put("", 1);
        InProcessServer.Reply r = send("POST", "/api/runs", upload, doc.toString());
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("details").get(0).get("path").asText()).isEqualTo("$.results[0].params");
        assertThat(r.json().get("details").get(0).get("message").asText()).contains("empty key");
        assertThat(send("GET", "/api/health", null, null).json().get("runs").asInt()).isZero();
    }

    @OnEachDatabase
    void the_runs_pages_links_keep_their_filters_url_encoded(InProcessServer server) throws Exception {
        start(server);
        String page = send("GET", "/runs?suite=a%26b%3Dc&source=up+load&offset=50", null, null).text();
        assertThat(page).contains("/runs?machine=&amp;jdk=&amp;suite=a%26b%3Dc&amp;source=up+load&amp;offset=0");
    }
}
