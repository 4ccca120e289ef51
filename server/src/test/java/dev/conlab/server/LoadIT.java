package dev.conlab.server;

import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import dev.conlab.server.perf.ApiBench;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shared lab server under load, on loopback: a real {@code conlab serve} (H2, the sample data) gets 16
 * clients uploading real smoke documents (186 KB, 110 cells) and 32 clients reading pages and the API, for
 * 10 s in the build ({@code -Dconlab.load.seconds}; the figures of docs/PERFORMANCE.md come from 60 s runs). No answer may be a 5xx or a broken connection, and every document
 * acknowledged with 201 must be stored exactly once. Latencies (p50, p99) go to target/load-report.txt;
 * {@code server/perf/load.sh} runs it for docs/PERFORMANCE.md.
 */
class LoadIT {

    private static final int UPLOADERS = 16;
    private static final int READERS = 32;
    private static final int MAX_REQUESTS_PER_CLIENT = 20_000;

    @TempDir
    Path data;

    record Sample(String kind, String path, int status, long nanos) {
    }

    @Test
    void sixteen_uploaders_and_thirty_two_readers_get_no_5xx_and_every_acknowledged_document_is_stored_once() throws Exception {
        int seconds = Integer.getInteger("conlab.load.seconds", 10);
        // -Dconlab.load.dataDir=DIR: against a database of your own (server/perf/reads100k.sh: 100,000 runs) instead of the sample data
        Path data = System.getProperty("conlab.load.dataDir") == null ? this.data : Path.of(System.getProperty("conlab.load.dataDir"));
        String token;
        int before;
        try (Database db = Database.open(Database.h2Url(data), "sa", "")) {
            token = new TokenStore(db).create("load-" + UUID.randomUUID(), Set.of(Scope.UPLOAD));
            before = db.dsl().fetchCount(DSL.table("run"));
        }
        int initial = before == 0 ? SampleData.runs() : before; // an empty database gets the sample runs
        String template = Files.readString(Path.of("..", "sample-data", "smoke-jdk25.json"));
        String templateId = dev.conlab.bench.Json.MAPPER.readTree(template).get("id").asText();
        assertThat(template.indexOf(templateId)).isEqualTo(template.lastIndexOf(templateId));

        var acknowledged = new ConcurrentHashMap<String, Long>();
        var samples = new ConcurrentLinkedQueue<Sample>();
        var failures = new ConcurrentLinkedQueue<String>();
        var uploadCount = new AtomicInteger();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        long startNanos;
        long endNanos;
        try (ServerProcess server = ServerProcess.startWithSampleData(data)) {
            List<String> reads = List.of("/", "/runs", "/runs/4", "/runs/2", "/machines", "/machines/1", "/jdks", "/compare?runs=3,4",
                    "/machines/1/history?workload=sleep-io&model=threads", "/api/runs?limit=50", "/api/runs/3", "/api/health",
                    "/static/app.css", "/api/queue");
            // a server that has served each page once, as one that runs for days has (its first overview probes this
            // machine's Python interpreters; its alerts are computed in the background as it starts: the feed waits for them)
            for (String path : concat(reads, "/api/alerts")) {
                http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(120)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            startNanos = System.nanoTime();
            long deadline = startNanos + Duration.ofSeconds(seconds).toNanos();
            var clients = new ArrayList<Thread>();
            for (int u = 0; u < UPLOADERS; u++) {
                clients.add(new Thread(() -> {
                    for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < deadline; i++) {
                        String id = UUID.randomUUID().toString();
                        String body = template.replace(templateId, id);
                        var request = HttpRequest.newBuilder(URI.create(server.url() + "/api/runs")).timeout(Duration.ofSeconds(60))
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                            samples.add(new Sample("upload", "POST /api/runs", r.statusCode(), System.nanoTime() - t0));
                            uploadCount.incrementAndGet();
                            if (r.statusCode() == 201) acknowledged.put(id, dev.conlab.bench.Json.MAPPER.readTree(r.body()).get("id").asLong());
                            else failures.add("upload answered " + r.statusCode() + ": " + r.body());
                        } catch (Exception e) {
                            failures.add("upload failed: " + e);
                        }
                    }
                }));
            }
            for (int r = 0; r < READERS; r++) {
                clients.add(new Thread(() -> {
                    for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < deadline; i++) {
                        String path = reads.get(ThreadLocalRandom.current().nextInt(reads.size()));
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                            samples.add(new Sample(path.startsWith("/api/") ? "read-api" : "read-page", path, answer.statusCode(), System.nanoTime() - t0));
                            if (answer.statusCode() != 200) failures.add(path + " answered " + answer.statusCode());
                        } catch (Exception e) {
                            failures.add(path + " failed: " + e);
                        }
                    }
                }));
            }
            clients.forEach(Thread::start);
            for (Thread t : clients) t.join();
            endNanos = System.nanoTime();
            assertThat(server.get("/api/health").get("runs").asInt()).isEqualTo(initial + acknowledged.size());
        }

        String report = report(samples, (endNanos - startNanos) / 1e9, seconds);
        System.out.println(report);
        Files.writeString(Path.of("target", "load-report.txt"), report);
        assertThat(failures).as("5xx, refusals or broken connections").isEmpty();
        assertThat(samples.stream().filter(s -> s.status() >= 500)).isEmpty();
        assertThat(acknowledged).as("uploads acknowledged in %d s", seconds).isNotEmpty();

        // every acknowledged document is stored exactly once, and nothing else was stored
        try (Database db = Database.open(Database.h2Url(data), "sa", "")) {
            Map<String, Integer> stored = new HashMap<>();
            db.dsl().select(DSL.field("document_id", String.class), DSL.count()).from(DSL.table("run"))
                    .groupBy(DSL.field("document_id")).fetch().forEach(r -> stored.put(r.value1(), r.value2()));
            for (var e : acknowledged.entrySet()) assertThat(stored.get(e.getKey())).as("document %s", e.getKey()).isEqualTo(1);
            assertThat(stored.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(initial + acknowledged.size());
        }
    }

    private static List<String> concat(List<String> list, String more) {
        var all = new ArrayList<>(list);
        all.add(more);
        return all;
    }

    private static String report(Iterable<Sample> samples, double elapsed, int seconds) {
        Map<String, List<Long>> byKind = new java.util.TreeMap<>();
        for (Sample s : samples) byKind.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s.nanos());
        var text = new StringBuilder(String.format(Locale.ROOT, "load: %d uploaders + %d readers for %d s (%.1f s with the last answers), "
                + "%d cores%n", UPLOADERS, READERS, seconds, elapsed, Runtime.getRuntime().availableProcessors()));
        text.append(String.format(Locale.ROOT, "%-10s %8s %9s %9s %9s %9s%n", "kind", "requests", "per s", "p50 ms", "p99 ms", "max ms"));
        for (var e : byKind.entrySet()) {
            long[] nanos = e.getValue().stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(nanos);
            text.append(String.format(Locale.ROOT, "%-10s %8d %9.1f %9.1f %9.1f %9.1f%n", e.getKey(), nanos.length, nanos.length / elapsed,
                    ApiBench.pct(nanos, 50), ApiBench.pct(nanos, 99), nanos[nanos.length - 1] / 1e6));
        }
        // and each path's, to see which ones make the tail
        Map<String, List<Long>> byPath = new java.util.TreeMap<>();
        for (Sample s : samples) byPath.computeIfAbsent(s.path(), k -> new ArrayList<>()).add(s.nanos());
        for (var e : byPath.entrySet()) {
            long[] nanos = e.getValue().stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(nanos);
            text.append(String.format(Locale.ROOT, "  %-52s %6d %9.1f %9.1f %9.1f%n", e.getKey(), nanos.length, ApiBench.pct(nanos, 50),
                    ApiBench.pct(nanos, 99), nanos[nanos.length - 1] / 1e6));
        }
        return text.toString();
    }
}
