package dev.conlab.server.perf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;
import dev.conlab.bench.stats.Stats;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import dev.conlab.server.ServerProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The run queue's own overhead (docs/PERFORMANCE.md): the same smoke run through `conlab run` and through
 * the queue of a running `conlab serve`, on the same JDK, alternately, a few rounds. Reports the median wall
 * time of each way, end to end (command start → exit; POST /api/queue → status done) and as the result
 * document's span (worker start → last cell), and their ratio.
 * Run: server/perf/queue.sh [JDK feature] [rounds]
 */
public final class QueueBench {

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        String jdk = args.length > 1 ? args[1] : "25";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.setProperty("conlab.jar", jar);
        Path dir = Files.createTempDirectory("conlab-queue-bench");
        String token;
        try (Database db = Database.open(Database.h2Url(dir), "sa", "")) {
            token = new TokenStore(db).create("bench", Set.of(Scope.QUEUE));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var cliWall = new ArrayList<Double>();
        var cliSpan = new ArrayList<Double>();
        var queueWall = new ArrayList<Double>();
        var queueSpan = new ArrayList<Double>();
        try (ServerProcess server = ServerProcess.start(dir)) {
            for (int round = 1; round <= rounds; round++) {
                Path out = dir.resolve("cli-" + round + ".json");
                long t0 = System.nanoTime();
                Process cli = new ProcessBuilder(java, "-jar", jar, "run", "--suite", "smoke", "--jdk", jdk, "--no-progress",
                        "--out", out.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("cli-" + round + ".log").toFile()).start();
                if (cli.waitFor() != 0) throw new IllegalStateException("conlab run failed; see " + dir.resolve("cli-" + round + ".log"));
                cliWall.add((System.nanoTime() - t0) / 1e9);
                cliSpan.add(span(Json.MAPPER.readTree(out.toFile())));

                t0 = System.nanoTime();
                JsonNode queued = server.json("POST", "/api/queue", token,
                        "{\"suite\": \"smoke\", \"jdks\": [\"" + jdk + "\"]}", 201);
                long id = queued.get("runs").get(0).get("id").asLong();
                // Poll the queue as a progress bar would (twice a second); the run is over when it leaves the queue.
                while (server.get("/api/queue").get("runs").findValuesAsText("id").contains(String.valueOf(id))) {
                    TimeUnit.MILLISECONDS.sleep(500);
                }
                queueWall.add((System.nanoTime() - t0) / 1e9);
                String status = server.get("/api/runs/" + id).get("run").get("status").asText();
                if (!status.equals("done")) throw new IllegalStateException("run " + id + " is " + status);
                queueSpan.add(span(server.get("/api/runs/" + id + "/document")));
                System.out.printf(Locale.ROOT, "round %d: conlab run %.2f s (document %.2f s), queue %.2f s (document %.2f s), queue/cli %.3f%n",
                        round, cliWall.get(round - 1), cliSpan.get(round - 1), queueWall.get(round - 1), queueSpan.get(round - 1),
                        queueWall.get(round - 1) / cliWall.get(round - 1));
            }
        }
        double cw = median(cliWall), cs = median(cliSpan), qw = median(queueWall), qs = median(queueSpan);
        System.out.printf(Locale.ROOT, "smoke suite on JDK %s, %d rounds, medians:%n", jdk, rounds);
        System.out.printf(Locale.ROOT, "  end to end: conlab run %.2f s, queue %.2f s, queue/cli %.3f%n", cw, qw, qw / cw);
        System.out.printf(Locale.ROOT, "  document span: conlab run %.2f s, queue %.2f s, queue/cli %.3f%n", cs, qs, qs / cs);
    }

    private static double span(JsonNode doc) {
        return Duration.between(Instant.parse(doc.get("startedAt").asText()), Instant.parse(doc.get("finishedAt").asText())).toMillis() / 1e3;
    }

    private static double median(List<Double> values) {
        return Stats.summarize(values.stream().mapToDouble(Double::doubleValue).toArray()).median();
    }
}
