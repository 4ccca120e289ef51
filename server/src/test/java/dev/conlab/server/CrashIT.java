package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import dev.conlab.db.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real server process (the packaged conlab.jar) killed with SIGKILL keeps every run it acknowledged. */
class CrashIT {

    @Test
    void a_server_killed_with_sigkill_serves_every_run_it_acknowledged_after_a_restart(@TempDir Path data) throws Exception {
        String token;
        try (Database db = Database.open(Database.h2Url(data), "sa", "")) {
            token = new TokenStore(db).create("crash-test", Set.of("upload"));
        }
        ObjectNode template = (ObjectNode) Json.MAPPER.readTree(Json.PRETTY.writeValueAsString(dev.conlab.bench.TestDocuments.small()));
        HttpClient http = HttpClient.newHttpClient();
        ServerProcess server = ServerProcess.start(data);
        Map<String, Long> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> uploaders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    ObjectNode doc = template.deepCopy();
                    String id = UUID.randomUUID().toString();
                    doc.put("id", id);
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/runs"))
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(doc.toString())).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) acknowledged.put(id, Json.MAPPER.readTree(r.body()).get("id").asLong());
                    } catch (Exception e) {
                        return; // the server is gone
                    }
                }
            });
            thread.start();
            uploaders.add(thread);
        }
        while (acknowledged.size() < 20) Thread.sleep(20);
        server.process().destroyForcibly(); // SIGKILL, mid-upload
        server.process().waitFor(10, TimeUnit.SECONDS);
        for (Thread t : uploaders) t.join(10_000);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(20);

        ServerProcess again = ServerProcess.start(data);
        try {
            for (var e : acknowledged.entrySet()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(again.url() + "/api/runs/" + e.getValue() + "/document"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("run " + e.getValue()).isEqualTo(200);
                JsonNode doc = Json.MAPPER.readTree(r.body());
                assertThat(doc.get("id").asText()).isEqualTo(e.getKey());
                assertThat(doc.get("results")).hasSize(template.get("results").size());
            }
        } finally {
            again.process().destroyForcibly();
        }
    }
}
