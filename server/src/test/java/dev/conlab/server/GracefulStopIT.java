package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A graceful stop: SIGTERM to a real server process (the packaged jar) while four clients upload and a queued run
 * measures. The process exits within 10 s; every upload it acknowledged is there afterwards, exactly as sent; the run is
 * {@code interrupted} with its finished cells, whole, and its worker is gone; the H2 file is marked clean, so it opens
 * without recovery. On H2 and, when configured, on PostgreSQL.
 */
class GracefulStopIT {

    private static final int ITERATIONS = 5;

    @TempDir
    static Path root;

    @Test
    void sigterm_during_uploads_and_a_run_exits_within_10_s_and_loses_nothing() throws Exception {
        for (ServerDatabase database : ServerDatabase.all(root)) {
            stopDuringWork(database);
        }
    }

    private static void stopDuringWork(ServerDatabase database) throws Exception {
        database.reset();
        String token;
        try (Database db = database.open()) {
            token = new TokenStore(db).create("stop-test", Set.of(Scope.UPLOAD, Scope.QUEUE));
        }
        ObjectNode template = (ObjectNode) Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(dev.conlab.bench.TestDocuments.small()));
        HttpClient http = HttpClient.newHttpClient();
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();

        ServerProcess server = ServerProcess.start(database.dataDir(), database);
        long runId;
        long workerPid;
        long stopMillis;
        try {
            runId = server.json("POST", "/api/queue", token, """
                    {"suite": "smoke", "workloads": ["sleep-io"], "models": ["sequential", "threads", "fixed-pool", "virtual-threads"],
                     "params": {"sleep-io.latencyMs": 30}, "warmups": 0, "iterations": %d}""".formatted(ITERATIONS), 201)
                    .get("runs").get(0).get("id").asLong();
            var stop = new AtomicBoolean();
            List<Thread> uploaders = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread uploader = new Thread(() -> {
                    while (!stop.get()) {
                        ObjectNode doc = template.deepCopy();
                        doc.put("id", UUID.randomUUID().toString());
                        String text = doc.toString();
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/runs"))
                                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) acknowledged.put(Json.MAPPER.readTree(r.body()).get("id").asLong(), text);
                            else if (r.statusCode() == 503) refused.incrementAndGet();
                            else throw new AssertionError("upload answered " + r.statusCode() + ": " + r.body());
                        } catch (java.io.IOException | InterruptedException e) {
                            return; // the server is gone
                        }
                    }
                });
                uploader.start();
                uploaders.add(uploader);
            }
            // the run has finished a cell and measures the next one when the stop comes
            workerPid = awaitRunning(server, runId);
            long t0 = System.nanoTime();
            server.process().destroy(); // SIGTERM
            boolean exited = server.process().waitFor(20, TimeUnit.SECONDS);
            stopMillis = (System.nanoTime() - t0) / 1_000_000;
            stop.set(true);
            for (Thread t : uploaders) t.join(10_000);
            System.out.printf("GracefulStopIT on %s: exited %s in %d ms; %d uploads acknowledged, %d refused with 503%n", database,
                    exited ? "with " + server.process().exitValue() : "NOT", stopMillis, acknowledged.size(), refused.get());
            assertThat(exited).as("the server exits after SIGTERM").isTrue();
            assertThat(stopMillis).as("milliseconds from SIGTERM to exit").isLessThan(10_000);
            assertThat(server.process().exitValue()).as("exit status").isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ProcessHandle.of(workerPid).filter(QueueIT::running).isPresent() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(ProcessHandle.of(workerPid).filter(QueueIT::running)).as("the run's worker %d is gone", workerPid).isEmpty();
        } finally {
            server.kill();
        }

        if (database.name().equals("H2")) {
            String header = new String(Files.readAllBytes(database.dataDir().resolve("conlab.mv.db")), 0, 200, StandardCharsets.ISO_8859_1);
            assertThat(header.substring(0, header.indexOf('\n')).split(",")).as("the H2 file's header: closed cleanly").contains("clean:1");
        }
        ServerProcess again = ServerProcess.start(database.dataDir(), database);
        try {
            assertThat(again.output()).as("the restart needed no recovery").doesNotContain("not closed cleanly");
            for (var e : acknowledged.entrySet()) {
                HttpResponse<String> document = again.send("GET", "/api/runs/" + e.getKey() + "/document", null, null);
                assertThat(document.statusCode()).as("acknowledged upload %d", e.getKey()).isEqualTo(200);
                assertThat(document.body()).as("upload %d exactly as sent", e.getKey()).isEqualTo(e.getValue());
            }
            JsonNode run = again.get("/api/runs/" + runId);
            assertThat(run.get("run").get("status").asText()).as("the run measuring at the stop").isEqualTo("interrupted");
            assertThat(run.get("run").get("error").asText()).contains("server stopped");
            assertThat(run.get("cells").size()).as("its finished cells are kept").isGreaterThanOrEqualTo(1);
            for (JsonNode cell : run.get("cells")) {
                assertThat(cell.get("samples").asInt()).as("whole cells only").isEqualTo(ITERATIONS);
            }
        } finally {
            again.close();
        }
    }

    /** Waits until the run has a finished cell and a worker measuring the next; returns the worker's PID. */
    private static long awaitRunning(ServerProcess server, long runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (JsonNode run : server.get("/api/queue").get("runs")) {
                JsonNode pid = run.path("progress").path("workerPid");
                if (run.get("id").asLong() == runId && run.get("status").asText().equals("running") && pid.isNumber()
                        && server.get("/api/runs/" + runId).get("cells").size() >= 1) {
                    return pid.asLong();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run " + runId + " never had a finished cell and a worker at once");
    }
}
