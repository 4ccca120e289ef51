package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Scope;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The runtime matrices, /jdks and /pythons: what they call a change, on H2 and (when configured) PostgreSQL. */
class MatrixPagesTest {

    private static String upload(InProcessServer server) {
        return server.token("uploader-" + UUID.randomUUID(), Scope.UPLOAD);
    }

    @OnEachDatabase
    void the_jdk_matrix_calls_a_change_only_what_the_confidence_intervals_show(InProcessServer server) throws Exception {
        // JDK 17 and 25 runs of one machine: threads 2 % apart with 10 % noise (no significant difference), sequential twice as slow
        ObjectNode older = (ObjectNode) Json.MAPPER.readTree(Json.PRETTY.writeValueAsString(dev.conlab.bench.TestDocuments.small()));
        ObjectNode newer = older.deepCopy();
        newer.put("id", UUID.randomUUID().toString());
        ((ObjectNode) older.get("jvm")).put("feature", 17).put("version", "17.0.15");
        ((ObjectNode) newer.get("jvm")).put("feature", 25).put("version", "25.0.3");
        noisy(older, 1.0, 1.0, "sequential");
        noisy(newer, 2.0, 1.02, "sequential");
        assertThat(server.send("POST", "/api/runs", upload(server), older.toString()).status()).isEqualTo(201);
        assertThat(server.send("POST", "/api/runs", upload(server), newer.toString()).status()).isEqualTo(201);
        String page = server.send("GET", "/jdks?from=17&to=25", null, null).text();
        assertThat(page).contains("class=\"num same\" title=\"JDK 25").contains("no significant difference");
        assertThat(page).contains("class=\"num slower\"");
        assertThat(page).doesNotContain("class=\"num faster\"");
    }

    @OnEachDatabase
    void the_python_matrix_sets_two_interpreters_against_each_other(InProcessServer server) throws Exception {
        // CPython 3.11 and 3.12 runs of one machine: serial 40 % faster on 3.12, threading 2 % apart in 10 % noise
        ObjectNode older = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("..", "sample-data", "smoke-python3.11.json")));
        older.put("id", UUID.randomUUID().toString());
        older.put("suite", "default");
        ObjectNode newer = older.deepCopy();
        newer.put("id", UUID.randomUUID().toString());
        ((ObjectNode) newer.get("python")).put("version", "3.12.1").put("feature", "3.12");
        noisy(older, 1.0, 1.0, "serial");
        noisy(newer, 0.6, 1.02, "serial");
        assertThat(server.send("POST", "/api/runs", upload(server), older.toString()).status()).isEqualTo(201);
        assertThat(server.send("POST", "/api/runs", upload(server), newer.toString()).status()).isEqualTo(201);
        String page = server.send("GET", "/pythons", null, null).text();
        assertThat(page).contains("<option value=\"CPython 3.11.2\"").contains("<option value=\"CPython 3.12.1\"");
        assertThat(page).contains("class=\"num faster\" title=\"CPython 3.12.1").contains("class=\"num same\" title=\"CPython 3.12.1");
        assertThat(page).doesNotContain("class=\"num slower\"");
        // the other way round, chosen in the form: 3.11 ÷ 3.12, serial slower
        String back = server.send("GET", "/pythons?from=CPython+3.12.1&to=CPython+3.11.2", null, null).text();
        assertThat(back).contains("class=\"num slower\" title=\"CPython 3.11.2");
        // a suite no run has: said, not a failure; an unknown suite refused
        assertThat(server.send("GET", "/pythons?suite=seed", null, null).text()).contains("no interpreter");
        InProcessServer.Reply bad = server.send("GET", "/pythons?suite=bogus", null, null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("unknown suite 'bogus'");
    }

    /** Every measured cell's samples made five of 100 ms ± 10 % noise, times {@code factor} for {@code model}, {@code others} for the rest. */
    private static void noisy(ObjectNode doc, double factor, double others, String model) {
        long[] noisy = {100, 110, 90, 105, 95};
        for (JsonNode cell : doc.get("results")) {
            var samples = (com.fasterxml.jackson.databind.node.ArrayNode) cell.get("samples");
            if (samples.isEmpty()) continue;
            JsonNode first = samples.get(0);
            samples.removeAll();
            double f = cell.get("model").asText().equals(model) ? factor : others;
            for (long ms : noisy) samples.add(((ObjectNode) first.deepCopy()).put("wallNanos", Math.round(ms * f * 1_000_000)));
        }
    }
}
