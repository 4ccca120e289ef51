package dev.conlab.server.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import dev.conlab.server.ServerDatabase;
import dev.conlab.server.ServerProcess;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue #28's durability figure (docs/FINDINGS.md §13): {@code conlab serve} SIGKILLed again and again at random moments
 * while clients write through every path the lab has — uploads, queued runs and their cancels, shared comparisons and
 * their retractions — and the server's own runner claims, says hello, stores cells and documents. After each restart every
 * acknowledged write must be there: each upload exactly as sent, each queued run, each acknowledged cancel still
 * cancelled, each share answering (each retraction 410), and a run never fewer cells than a client saw, nor undone —
 * what the kill before acknowledged after every restart, everything every 25 rounds and at the end.
 * H2 and, with CONLAB_TEST_PG_URL, PostgreSQL at once, one server each (or one of them: a third argument {@code h2} or
 * {@code pg}). Prints each loss; the last line counts them.
 * Run: server/perf/kill.sh [rounds, default 500] [seed] [h2|pg|both]
 */
public final class KillBench {

    /** What was acknowledged, and what it must still be after a restart. */
    static final class Ledger {
        final Map<Long, String> uploads = new ConcurrentHashMap<>();
        final Set<Long> queued = ConcurrentHashMap.newKeySet();
        final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
        final Map<Long, Integer> cellsSeen = new ConcurrentHashMap<>();
        final Set<Long> doneSeen = ConcurrentHashMap.newKeySet();
        final Set<String> shared = ConcurrentHashMap.newKeySet();
        final Set<String> retracted = ConcurrentHashMap.newKeySet();
        /** A copy: what was acknowledged so far. */
        Ledger snapshot() {
            var copy = new Ledger();
            copy.uploads.putAll(uploads);
            copy.queued.addAll(queued);
            copy.cancelled.addAll(cancelled);
            copy.cellsSeen.putAll(cellsSeen);
            copy.doneSeen.addAll(doneSeen);
            copy.shared.addAll(shared);
            copy.retracted.addAll(retracted);
            return copy;
        }

        /** What was acknowledged since {@code before} (a run's cells: those seen since, and the run's state). */
        Ledger since(Ledger before) {
            var recent = new Ledger();
            uploads.forEach((k, v) -> { if (!before.uploads.containsKey(k)) recent.uploads.put(k, v); });
            for (long id : queued) {
                if (!before.queued.contains(id) || !cellsSeen.getOrDefault(id, 0).equals(before.cellsSeen.getOrDefault(id, 0))
                        || doneSeen.contains(id) != before.doneSeen.contains(id) || cancelled.contains(id) != before.cancelled.contains(id)) {
                    recent.queued.add(id);
                    if (cellsSeen.containsKey(id)) recent.cellsSeen.put(id, cellsSeen.get(id));
                    if (doneSeen.contains(id)) recent.doneSeen.add(id);
                    if (cancelled.contains(id)) recent.cancelled.add(id);
                }
            }
            shared.stream().filter(s -> !before.shared.contains(s)).forEach(recent.shared::add);
            retracted.stream().filter(s -> !before.retracted.contains(s)).forEach(recent.retracted::add);
            return recent;
        }

        int writes() {
            return uploads.size() + queued.size() + cancelled.size() + shared.size() + retracted.size() + doneSeen.size()
                    + cellsSeen.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("conlab.jar", args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261207L;
        Path root = Files.createTempDirectory("conlab-kill-bench");
        // one server started and stopped gracefully first: its exit writes the jar's class-data archive, which every start of
        // the bench then maps (a SIGKILLed server never writes it), a few seconds off each of its hundreds of starts
        ServerProcess.start(Files.createDirectories(root.resolve("warm-up"))).close();
        String only = args.length > 3 ? args[3] : "both";
        List<ServerDatabase> databases = ServerDatabase.all(root).stream()
                .filter(d -> only.equals("both") || (only.equals("h2") == d.url().startsWith("jdbc:h2:"))).toList();
        if (databases.isEmpty()) throw new IllegalArgumentException("no database to kill: pg needs CONLAB_TEST_PG_URL; say h2, pg or both");
        var threads = new ArrayList<Thread>();
        var lost = new ConcurrentHashMap<String, Integer>();
        for (ServerDatabase database : databases) {
            Thread t = new Thread(() -> {
                try {
                    lost.put(database.toString(), rounds(database, rounds, new Random(seed)));
                } catch (Throwable e) {
                    e.printStackTrace();
                    lost.put(database.toString(), -1);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        System.out.println("acknowledged writes lost (-1: the bench failed): " + lost);
    }

    private static int rounds(ServerDatabase database, int rounds, Random random) throws Exception {
        database.reset();
        String token;
        try (Database db = database.open()) {
            token = new TokenStore(db).create("kill-bench", Set.of(Scope.UPLOAD, Scope.QUEUE, Scope.ADMIN));
        }
        ObjectNode template = (ObjectNode) Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(dev.conlab.bench.TestDocuments.small()));
        var ledger = new Ledger();
        var checked = new Ledger();
        int lost = 0;
        long started = System.nanoTime();
        for (int round = 1; round <= rounds + 1; round++) {
            long t0 = System.nanoTime();
            ServerProcess server = ServerProcess.start(database.dataDir(), database);
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            try {
                // every write of the kill before, and every 25 rounds (and at the end) every write since the start
                boolean all = round % 25 == 0 || round > rounds;
                int lostNow = check(server, all ? ledger : ledger.since(checked), database + " after kill " + (round - 1));
                checked = ledger.snapshot();
                lost += lostNow;
                if (round % 25 == 0 || lostNow > 0 || round > rounds) {
                    System.out.printf("%s round %d: start %d ms, %d writes acknowledged so far, %d lost so far, %.0f s%n", database, round,
                            startMs, ledger.writes(), lost, (System.nanoTime() - started) / 1e9);
                }
                if (round > rounds) break;
                var stop = new AtomicBoolean();
                var clients = new ArrayList<Thread>();
                clients.add(client(stop, () -> upload(server, token, template, ledger)));
                clients.add(client(stop, () -> upload(server, token, template, ledger)));
                clients.add(client(stop, () -> queueAndCancel(server, token, ledger)));
                clients.add(client(stop, () -> share(server, token, ledger, random)));
                clients.add(client(stop, () -> watch(server, ledger)));
                for (Thread c : clients) c.start();
                Thread.sleep(200 + random.nextInt(2300));
                server.kill();
                stop.set(true);
                for (Thread c : clients) c.join(10_000);
            } finally {
                server.kill();
            }
        }
        return lost;
    }

    interface Step {
        void run() throws Exception;
    }

    private static Thread client(AtomicBoolean stop, Step step) {
        return new Thread(() -> {
            while (!stop.get()) {
                try {
                    step.run();
                } catch (java.io.IOException | InterruptedException e) {
                    return; // the server is gone
                } catch (Exception e) {
                    System.out.println("client failed: " + e);
                    return;
                }
            }
        });
    }

    private static void upload(ServerProcess server, String token, ObjectNode template, Ledger ledger) throws Exception {
        ObjectNode doc = template.deepCopy();
        doc.put("id", UUID.randomUUID().toString());
        String text = doc.toString();
        HttpResponse<String> r = server.send("POST", "/api/runs", token, text);
        if (r.statusCode() == 201) ledger.uploads.put(Json.MAPPER.readTree(r.body()).get("id").asLong(), text);
    }

    /** Two runs queued; the second, still waiting behind the first, cancelled. */
    private static void queueAndCancel(ServerProcess server, String token, Ledger ledger) throws Exception {
        String body = """
                {"suite": "smoke", "workloads": ["sleep-io"], "models": ["sequential", "threads"],
                 "params": {"sleep-io.latencyMs": 20}, "warmups": 0, "iterations": 3}""";
        HttpResponse<String> a = server.send("POST", "/api/queue", token, body);
        if (a.statusCode() == 201) ledger.queued.add(Json.MAPPER.readTree(a.body()).get("runs").get(0).get("id").asLong());
        HttpResponse<String> b = server.send("POST", "/api/queue", token, body);
        if (b.statusCode() != 201) return;
        long id = Json.MAPPER.readTree(b.body()).get("runs").get(0).get("id").asLong();
        ledger.queued.add(id);
        HttpResponse<String> cancel = server.send("DELETE", "/api/queue/" + id, token, null);
        if (cancel.statusCode() == 200 && Json.MAPPER.readTree(cancel.body()).path("status").asText().equals("cancelled")) ledger.cancelled.add(id);
        Thread.sleep(300);
    }

    /** A comparison of two uploads shared; one in four retracted. */
    private static void share(ServerProcess server, String token, Ledger ledger, Random random) throws Exception {
        List<Long> ids = new ArrayList<>(ledger.uploads.keySet());
        if (ids.size() < 2) {
            Thread.sleep(50);
            return;
        }
        HttpResponse<String> r = server.send("POST", "/api/comparisons", token,
                "{\"runs\": [" + ids.get(ids.size() - 1) + ", " + ids.get(ids.size() - 2) + "], \"title\": \"kill\"}");
        if (r.statusCode() != 201) return;
        String slug = Json.MAPPER.readTree(r.body()).get("slug").asText();
        ledger.shared.add(slug);
        boolean retract;
        synchronized (random) {
            retract = random.nextInt(4) == 0;
        }
        if (retract) {
            // from now on unknown until answered: a retraction the kill cuts off unanswered may or may not have been stored
            ledger.shared.remove(slug);
            if (server.send("DELETE", "/api/comparisons/" + slug, token, null).statusCode() / 100 == 2) ledger.retracted.add(slug);
        }
        Thread.sleep(100);
    }

    /** What a dashboard sees of the queued runs: their cells as the runner stores them, and their end. */
    private static void watch(ServerProcess server, Ledger ledger) throws Exception {
        for (long id : List.copyOf(ledger.queued)) {
            if (ledger.doneSeen.contains(id) || ledger.cancelled.contains(id)) continue;
            HttpResponse<String> r = server.send("GET", "/api/runs/" + id, null, null);
            if (r.statusCode() != 200) continue;
            JsonNode run = Json.MAPPER.readTree(r.body());
            ledger.cellsSeen.merge(id, run.get("cells").size(), Math::max);
            if (run.get("run").get("status").asText().equals("done")) ledger.doneSeen.add(id);
        }
        Thread.sleep(100);
    }

    private static int check(ServerProcess server, Ledger ledger, String when) throws Exception {
        int lost = 0;
        for (var e : ledger.uploads.entrySet()) {
            HttpResponse<String> d = server.send("GET", "/api/runs/" + e.getKey() + "/document", null, null);
            if (d.statusCode() != 200 || !d.body().equals(e.getValue())) lost += lose(when, "upload " + e.getKey() + ": " + d.statusCode());
        }
        for (long id : ledger.queued) {
            HttpResponse<String> r = server.send("GET", "/api/runs/" + id, null, null);
            if (r.statusCode() != 200) {
                lost += lose(when, "queued run " + id + ": " + r.statusCode());
                continue;
            }
            JsonNode run = Json.MAPPER.readTree(r.body());
            String status = run.get("run").get("status").asText();
            if (ledger.cancelled.contains(id) && !status.equals("cancelled")) lost += lose(when, "cancelled run " + id + " is " + status);
            if (ledger.doneSeen.contains(id) && !status.equals("done")) lost += lose(when, "done run " + id + " is " + status);
            int seen = ledger.cellsSeen.getOrDefault(id, 0);
            if (run.get("cells").size() < seen) lost += lose(when, "run " + id + " has " + run.get("cells").size() + " cells, " + seen + " were seen");
        }
        for (String slug : ledger.shared) {
            int status = server.send("GET", "/api/comparisons/" + slug, null, null).statusCode();
            if (status != 200) lost += lose(when, "shared comparison " + slug + ": " + status);
        }
        for (String slug : ledger.retracted) {
            int status = server.send("GET", "/api/comparisons/" + slug, null, null).statusCode();
            if (status != 410) lost += lose(when, "retracted comparison " + slug + ": " + status);
        }
        return lost;
    }

    private static int lose(String when, String what) {
        System.out.println(when + ": LOST " + what);
        return 1;
    }
}
