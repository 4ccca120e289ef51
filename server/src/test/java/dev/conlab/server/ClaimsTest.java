package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Scope;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The articles' claims against stored runs: GET /api/claims and /claims, on H2 and (when configured) PostgreSQL. */
class ClaimsTest {

    /** The ids of ../shared/CLAIMS.md, in its order. */
    static final List<String> IDS = List.of("io-table", "uvloop-fastest", "asyncio-theory", "io-processes-first", "cpu-processes-only",
            "threads-cpu-no-benefit", "mp-pool-convenient", "io-both-benefit", "numpy-add-little", "numpy-dot", "resize-both-good",
            "rule-of-thumb", "gil-ctypes", "pypy-faster", "gevent-patch", "gevent-threadpool", "threadpool-discouraged",
            "processes-cost", "threads-cheaper");

    private static Map<String, JsonNode> claims(InProcessServer server) throws Exception {
        InProcessServer.Reply reply = server.send("GET", "/api/claims", null, null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("rule").asText()).contains("holds when every condition holds");
        var byId = new HashMap<String, JsonNode>();
        var ids = new ArrayList<String>();
        for (JsonNode c : reply.json().get("claims")) {
            ids.add(c.get("id").asText());
            byId.put(c.get("id").asText(), c);
            assertThat(c.get("command").asText()).as(c.get("id").asText()).startsWith("./conlab run --python");
        }
        assertThat(ids).containsExactlyElementsOf(IDS);
        return byId;
    }

    private static String python(String suite) throws Exception {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("..", "sample-data", "smoke-python3.11.json")));
        doc.put("id", UUID.randomUUID().toString());
        doc.put("suite", suite);
        return doc.toString();
    }

    @OnEachDatabase
    void a_smoke_run_decides_nothing_and_every_claim_says_how_to_measure_it(InProcessServer server) throws Exception {
        String token = server.token("uploader", Scope.UPLOAD);
        assertThat(server.send("POST", "/api/runs", token, python("smoke")).status()).isEqualTo(201);
        Map<String, JsonNode> claims = claims(server);
        claims.values().forEach(c -> assertThat(c.get("verdict").asText()).as(c.get("id").asText()).isEqualTo("not-measured"));
        assertThat(claims.get("gil-ctypes").get("command").asText()).contains("crc-zlib,crc-ctypes,crc-python");
    }

    @OnEachDatabase
    void each_claim_gets_its_verdict_from_the_intervals_with_its_figures_linked_to_the_run(InProcessServer server) throws Exception {
        String token = server.token("uploader", Scope.UPLOAD);
        InProcessServer.Reply stored = server.send("POST", "/api/runs", token, python("default"));
        assertThat(stored.status()).isEqualTo(201);
        long run = stored.json().get("id").asLong();
        Map<String, JsonNode> claims = claims(server);

        // the sample run's own cells: a greenlet per sleeping task is 8× serial; a 2-process pool is slower than threads on I/O
        JsonNode gevent = claims.get("gevent-patch");
        assertThat(gevent.get("verdict").asText()).isEqualTo("holds");
        JsonNode row = gevent.get("verdicts").get(0);
        assertThat(row.get("runtime").asText()).isEqualTo("CPython 3.11.2");
        assertThat(row.get("machine").asText()).isNotBlank();
        assertThat(row.get("figures").get(0).get("text").asText()).startsWith("sleep-io: gevent ").contains("× serial [");
        assertThat(row.get("figures").get(0).get("url").asText()).isEqualTo("/runs/" + run);
        assertThat(claims.get("io-processes-first").get("verdict").asText()).isEqualTo("does-not-hold");
        // a condition without cells: measured in part, so partly, the missing one said
        JsonNode cost = claims.get("processes-cost").get("verdicts").get(0);
        assertThat(cost.get("verdict").asText()).isEqualTo("partly");
        assertThat(cost.get("figures").get(1).get("text").asText()).contains("payload").contains("not measured");
        // no PyPy run: nothing to set CPython against
        assertThat(claims.get("pypy-faster").get("verdict").asText()).isEqualTo("not-measured");
        assertThat(claims.get("pypy-faster").get("verdicts")).isEmpty();

        InProcessServer.Reply page = server.send("GET", "/claims", null, null);
        assertThat(page.status()).isEqualTo(200);
        IDS.forEach(id -> assertThat(page.text()).contains("id=\"" + id + "\""));
        assertThat(page.text()).contains("does not hold").contains("href=\"/runs/" + run + "\"");
    }

    @org.junit.jupiter.api.Test
    void a_run_just_measured_prints_the_claims_its_cells_decide() throws Exception {
        var doc = Json.MAPPER.readValue(python("default"), dev.conlab.bench.RunDocument.class);
        var out = new java.io.StringWriter();
        dev.conlab.cli.RunCommandClaims.print(doc, new java.io.PrintWriter(out, true));
        assertThat(out.toString()).contains("The articles' claims these cells decide").contains("gevent-patch")
                .contains("io-processes-first       does not hold").doesNotContain("pypy-faster").doesNotContain("gil-ctypes");
        var smoke = Json.MAPPER.readValue(python("smoke"), dev.conlab.bench.RunDocument.class);
        assertThat(dev.conlab.server.claims.ClaimJudge.ofRun(smoke)).as("smoke sizes decide nothing").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void every_claims_command_reads_back_into_a_run_the_planner_accepts() {
        for (var claim : dev.conlab.server.claims.ClaimBook.claims()) {
            var run = claim.run();
            assertThat(run.suite()).as(claim.id()).isNotNull();
            assertThat(run.pythons()).as(claim.id()).isNotEmpty();
            var params = new java.util.LinkedHashMap<String, String>();
            for (String p : run.params()) params.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
            var request = dev.conlab.bench.RunRequest.suite(run.suite()).withWorkloads(run.workloads()).withModels(run.models())
                    .withPythons(run.pythons()).withParams(params);
            var spec = dev.conlab.bench.RunPlanner.plan(request, dev.conlab.bench.Vocabulary.python());
            // the plan measures what the claim's conditions read
            for (var condition : claim.conditions()) {
                var models = new java.util.ArrayList<>(List.of(condition.model()));
                if (condition.kind().equals("speedup")) models.add("serial");
                else if (condition.than() != null && !condition.kind().equals("runtimes")) models.add(condition.than());
                for (String model : models) {
                    assertThat(spec.cells()).as(claim.id() + ": " + condition.workload() + " × " + model)
                            .anyMatch(c -> c.workload().equals(condition.workload()) && c.model().equals(model));
                }
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.conlab.server.claims.ClaimBook.Run.of("./conlab run --jdk 25"))
                .hasMessageContaining("may not use '--jdk'");
    }
}
