package dev.conlab.server.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Writes a year of nightly runs for a fleet as NDJSON (one result document per line), for `conlab import FILE.ndjson`
 * and the reads-at-100,000-runs benchmark (server/perf/reads100k.sh): MACHINES machines × NIGHTS nights × JDK 17 and 25,
 * each run the smoke suite's sleep-io, cpu-sum and contended-counter under sequential, threads, fixed-pool and
 * virtual-threads (12 cells, 3 samples each: the real cells of sample-data/smoke-jdk25.json, their times scaled by a
 * per-night noise of 2 %), the JDK updated every quarter (17.0.13 → 17.0.16, 25.0.1 → 25.0.4), and on the first machine
 * a 15 % regression of cpu-sum × threads on JDK 25 from night 200 on. Deterministic: the same arguments write the same file.
 * Usage: FleetYear OUT.ndjson [MACHINES, default 137] [NIGHTS, default 365]
 */
public final class FleetYear {

    private static final Set<String> WORKLOADS = Set.of("sleep-io", "cpu-sum", "contended-counter");
    private static final Set<String> MODELS = Set.of("sequential", "threads", "fixed-pool", "virtual-threads");

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int machines = args.length > 1 ? Integer.parseInt(args[1]) : 137;
        int nights = args.length > 2 ? Integer.parseInt(args[2]) : 365;
        ObjectNode template = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("sample-data/smoke-jdk25.json")));
        ArrayNode cells = Json.MAPPER.createArrayNode();
        for (JsonNode cell : template.get("results")) {
            if (WORKLOADS.contains(cell.get("workload").asText()) && MODELS.contains(cell.get("model").asText())) cells.add(cell);
        }
        template.set("results", cells);
        ArrayNode oneThread = Json.MAPPER.createArrayNode();
        for (JsonNode t : template.withArray("oneThread")) if (WORKLOADS.contains(t.get("workload").asText())) oneThread.add(t);
        template.set("oneThread", oneThread);
        var random = new SplittableRandom(18);
        Instant first = Instant.parse("2025-12-01T02:00:00Z");
        long written = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int night = 0; night < nights; night++) {
                int quarter = Math.min(3, night * 4 / Math.max(nights, 1));
                for (int m = 0; m < machines; m++) {
                    for (int jdk : new int[] {17, 25}) {
                        ObjectNode doc = template.deepCopy();
                        doc.put("id", new UUID(random.nextLong(), random.nextLong()).toString());
                        Instant start = first.plus(night, ChronoUnit.DAYS).plusSeconds(m * 7L + (jdk == 25 ? 300 : 0));
                        doc.put("startedAt", start.toString());
                        doc.put("finishedAt", start.plusSeconds(90).toString());
                        ObjectNode machine = (ObjectNode) doc.get("machine");
                        String name = String.format("fleet-%03d", m);
                        machine.put("fingerprint", String.format("f1ee7%011d", m));
                        machine.put("label", name);
                        machine.put("hostname", name);
                        ObjectNode jvm = (ObjectNode) doc.get("jvm");
                        jvm.put("feature", jdk);
                        jvm.put("version", jdk == 17 ? "17.0." + (13 + quarter) : "25.0." + (1 + quarter));
                        double nightNoise = Math.exp(0.02 * gaussian(random));
                        for (JsonNode cell : doc.get("results")) {
                            boolean step = m == 0 && jdk == 25 && night >= 200 && cell.get("workload").asText().equals("cpu-sum")
                                    && cell.get("model").asText().equals("threads");
                            for (JsonNode sample : cell.get("samples")) {
                                double factor = nightNoise * Math.exp(0.01 * gaussian(random)) * (step ? 1.15 : 1.0);
                                ((ObjectNode) sample).put("wallNanos", Math.round(sample.get("wallNanos").asLong() * factor));
                            }
                        }
                        w.write(Json.MAPPER.writeValueAsString(doc));
                        w.newLine();
                        written++;
                    }
                }
            }
        }
        System.out.printf("%s: %,d documents (%d machines × %d nights × 2 JDKs), %,d bytes%n", out, written, machines, nights, Files.size(out));
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
