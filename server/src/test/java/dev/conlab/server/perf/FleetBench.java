package dev.conlab.server.perf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.harness.Probe;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import dev.conlab.server.ServerProcess;
import dev.conlab.server.api.AgentsApi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fleet's load figure of docs/PERFORMANCE.md: a real `conlab serve` (H2, sample data) with N simulated agents —
 * each its own token and machine, registering, then long-polling for runs (20 s) and heartbeating every 5 s, as
 * `conlab agent` does while it waits — and one dashboard reader fetching the pages in turn; first without agents, then
 * with them. Reports each page's p50/p99 in both phases and every agent request that failed.
 * Run: server/perf/fleet.sh [agents, default 50] [seconds, default 60]
 */
public final class FleetBench {

    private static final List<String> PAGES = List.of("/", "/runs", "/machines", "/runs/4", "/partials/queue", "/api/machines", "/api/queue");

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path dir = Files.createTempDirectory("conlab-fleet-bench");
        var tokens = new ArrayList<String>();
        try (Database db = Database.open(Database.h2Url(dir), "sa", "")) {
            var store = new TokenStore(db);
            for (int i = 0; i < agents; i++) tokens.add(store.create("agent-" + i, Set.of(Scope.AGENT)));
        }
        Path sample = Path.of(System.getProperty("conlab.sampleData", "sample-data")).toAbsolutePath();
        var command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", System.getProperty("conlab.jar"),
                "serve", "--data-dir", dir.toString(), "--port", "0", "--sample-data", sample.toString());
        ServerProcess server = ServerProcess.await(new ProcessBuilder(command).redirectErrorStream(true).start(), Duration.ofSeconds(60));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            read(http, server.url(), 10); // warm-up
            Map<String, long[]> quiet = read(http, server.url(), Math.max(10, seconds / 2));

            var errors = new ConcurrentLinkedQueue<String>();
            var polls = new AtomicInteger();
            var beats = new AtomicInteger();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            MachineInfo base = Probe.machine();
            var threads = new ArrayList<Thread>();
            for (int i = 0; i < agents; i++) {
                String token = tokens.get(i);
                MachineInfo machine = Probe.named(base, "sim-agent-" + i);
                Thread t = new Thread(() -> agent(http, server.url(), token, machine, end, errors, polls, beats), "sim-agent-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            Thread.sleep(3000); // all registered and waiting
            Map<String, long[]> loaded = read(http, server.url(), seconds - 5);
            for (Thread t : threads) t.join(Duration.ofSeconds(40).toMillis());
            JsonNode machines = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/machines")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            int online = 0;
            for (JsonNode m : machines) if (m.path("agent").path("online").asBoolean()) online++;

            System.out.printf(Locale.ROOT, "%d simulated agents for %d s: %d long-polls answered, %d heartbeats, %d errors; %d agents online at the end%n",
                    agents, seconds, polls.get(), beats.get(), errors.size(), online);
            errors.stream().limit(10).forEach(e -> System.out.println("  error: " + e));
            System.out.printf(Locale.ROOT, "%-16s %8s %8s %8s | %8s %8s %8s%n", "page (ms)", "n", "p50", "p99", "n", "p50", "p99");
            System.out.printf(Locale.ROOT, "%-16s %26s | %26s%n", "", "without agents", "with " + agents + " agents");
            for (String page : PAGES) {
                long[] a = quiet.get(page);
                long[] b = loaded.get(page);
                System.out.printf(Locale.ROOT, "%-16s %8d %8.1f %8.1f | %8d %8.1f %8.1f%n", page, a.length, ms(a, 50), ms(a, 99), b.length, ms(b, 50), ms(b, 99));
            }
        } finally {
            server.kill();
        }
    }

    /** One simulated agent: register, then long-poll and heartbeat until {@code end}, as an idle `conlab agent`. */
    private static void agent(HttpClient http, String base, String token, MachineInfo machine, long end, ConcurrentLinkedQueue<String> errors,
                              AtomicInteger polls, AtomicInteger beats) {
        try {
            var hello = new LinkedHashMap<String, Object>();
            hello.put("machine", machine);
            hello.put("runtimes", Map.of("jdks", List.of(Map.of("home", "/opt/jdk-25", "feature", 25, "version", "25.0.3")), "pythons", List.of()));
            hello.put("version", "bench");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/agents")).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(hello))).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                errors.add("register: " + r.statusCode() + " " + r.body());
                return;
            }
            JsonNode reg = Json.MAPPER.readTree(r.body());
            String path = base + "/api/agents/" + reg.get("machineId").asLong();
            String session = reg.get("session").asText();
            Thread beater = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<String> b = http.send(HttpRequest.newBuilder(URI.create(path + "/heartbeat")).header("Authorization", "Bearer " + token)
                                .header(AgentsApi.SESSION, session).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                        if (b.statusCode() != 200) errors.add("heartbeat: " + b.statusCode() + " " + b.body());
                        else beats.incrementAndGet();
                        Thread.sleep(5000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        errors.add("heartbeat: " + e);
                    }
                }
            });
            beater.setDaemon(true);
            beater.start();
            while (System.nanoTime() < end) {
                int wait = (int) Math.max(1, Math.min(20, (end - System.nanoTime()) / 1_000_000_000L));
                HttpResponse<String> c = http.send(HttpRequest.newBuilder(URI.create(path + "/claim?wait=" + wait)).timeout(Duration.ofSeconds(wait + 30))
                        .header("Authorization", "Bearer " + token).header(AgentsApi.SESSION, session)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                if (c.statusCode() != 204) errors.add("claim: " + c.statusCode() + " " + c.body());
                else polls.incrementAndGet();
            }
            beater.join();
        } catch (Exception e) {
            errors.add("agent: " + e);
        }
    }

    /** One reader fetching the pages in turn for {@code seconds}; latencies (ns) per page. */
    private static Map<String, long[]> read(HttpClient http, String base, int seconds) throws Exception {
        var latencies = new ConcurrentHashMap<String, List<Long>>();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            for (String page : PAGES) {
                long start = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + page)).build(), HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - start;
                if (r.statusCode() != 200) throw new IllegalStateException(page + " answered " + r.statusCode());
                latencies.computeIfAbsent(page, p -> new ArrayList<>()).add(took);
            }
        }
        var result = new LinkedHashMap<String, long[]>();
        for (String page : PAGES) {
            long[] a = latencies.get(page).stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(a);
            result.put(page, a);
        }
        return result;
    }

    private static double ms(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
