package dev.conlab.server.perf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.db.Database;
import dev.conlab.db.RunStore;
import dev.conlab.server.App;
import dev.conlab.server.Lab;
import dev.conlab.db.Scope;
import io.javalin.Javalin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store/API figures of docs/PERFORMANCE.md: upload throughput of a full smoke-suite document with 8
 * concurrent clients, and GET /api/runs/{id} latency with 10,000 runs stored, against the server on an H2
 * file database (the same App and Database as `conlab serve`; clients in the same JVM, on the same 2 cores).
 * Run: server/perf/api.sh
 */
public final class ApiBench {

    public static void main(String[] args) throws Exception {
        Path smoke = Path.of(args.length > 0 ? args[0] : "sample-data/smoke-jdk25.json");
        String template = Files.readString(smoke);
        Path dir = Files.createTempDirectory("conlab-bench");
        try (Database database = Database.open(Database.h2Url(dir), "sa", "")) {
            Lab lab = Lab.over(database);
            String token = lab.tokens().create("bench", Set.of(Scope.UPLOAD));
            Javalin app = App.create(lab).start("127.0.0.1", 0);
            String base = "http://127.0.0.1:" + app.port();
            HttpClient http = HttpClient.newHttpClient();
            ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(template);

            upload(http, base, token, doc, 8, WARMUP_UPLOADS);  // warm-up: until the JIT compilers have settled
            long[] latencies = upload(http, base, token, doc, 8, 800);
            System.out.printf(Locale.ROOT, "upload: %d documents of %d bytes (%d cells), 8 clients%n", latencies.length,
                    template.length(), doc.get("results").size());
            report("upload", latencies, lastElapsed);
            System.out.printf(Locale.ROOT, "  throughput: %.1f documents/s%n", latencies.length / (lastElapsed / 1e9));
            if (Boolean.getBoolean("conlab.bench.uploadOnly")) {
                app.stop();
                return;
            }

            // Fill to 10,000 runs with small real documents straight through the store, then read one full run.
            RunDocument small = Json.MAPPER.readValue(template, RunDocument.class);
            small = new RunDocument(small.schema(), small.id(), small.startedAt(), small.finishedAt(), small.suite(),
                    small.machine(), small.jvm(), small.settings(), small.results().subList(0, 3));
            RunStore runs = lab.runStore();
            while (runs.count() < 10_000) {
                RunDocument copy = new RunDocument(small.schema(), UUID.randomUUID().toString(), small.startedAt(),
                        small.finishedAt(), small.suite(), small.machine(), small.jvm(), small.settings(), small.results());
                runs.insert(copy, Json.MAPPER.writeValueAsString(copy), RunStore.Source.UPLOAD);
            }
            long target = runs.list(new RunStore.Filter(null, null, "smoke", null, "processes", null, null), 0, 1).runs().get(0).id();
            get(http, base + "/api/runs/" + target, 200);       // warm-up
            long[] gets = get(http, base + "/api/runs/" + target, 2000);
            System.out.printf(Locale.ROOT, "GET /api/runs/%d (110 cells) with %d runs stored, 1 client%n", target, runs.count());
            report("get", gets, lastElapsed);
            long[] list = get(http, base + "/api/runs?limit=50", 500);
            System.out.printf(Locale.ROOT, "GET /api/runs?limit=50 with %d runs stored, 1 client%n", runs.count());
            report("list", list, lastElapsed);
            app.stop();
        }
    }

    /** The JIT compilers take ~30 s of CPU over the first few hundred uploads (jOOQ, H2, Jackson, networknt); a server runs for days. */
    private static final int WARMUP_UPLOADS = Integer.getInteger("conlab.bench.warmupUploads", 1000);

    private static long lastElapsed;

    private static long[] upload(HttpClient http, String base, String token, ObjectNode doc, int clients, int total) throws Exception {
        String compact = doc.toString();
        String id = doc.get("id").asText();
        var latencies = new ConcurrentLinkedQueue<Long>();
        AtomicInteger left = new AtomicInteger(total);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    // A new id in the same compact text: the clients stand for other machines, so they do as little as possible here.
                    String body = compact.replace(id, UUID.randomUUID().toString());
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 201) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    latencies.add(System.nanoTime() - t0);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        lastElapsed = System.nanoTime() - start;
        return latencies.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] get(HttpClient http, String url, int n) throws Exception {
        long[] latencies = new long[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode());
            latencies[i] = System.nanoTime() - t0;
        }
        lastElapsed = System.nanoTime() - start;
        return latencies;
    }

    private static void report(String name, long[] latencies, long elapsed) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %s: n %d, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms, elapsed %.1f s%n", name,
                sorted.length, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted[sorted.length - 1] / 1e6, elapsed / 1e9);
    }

    /** The p-th percentile (nearest rank) of sorted nanoseconds, in milliseconds. */
    public static double pct(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }
}
