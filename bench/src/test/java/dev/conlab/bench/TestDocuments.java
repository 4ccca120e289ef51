package dev.conlab.bench;

import dev.conlab.bench.harness.Harness;
import dev.conlab.bench.harness.Probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real, small result document: sleep-io and producer-consumer under sequential and threads (the
 * producer-consumer × sequential cell is unsupported), measured once by the harness and committed as
 * {@code small-document.json} so that tests read it instead of measuring it again. Shared with the db and server
 * tests through the bench test jar. To measure it again: {@code java -cp … dev.conlab.bench.TestDocuments FILE}.
 */
public final class TestDocuments {

    private static final String SMALL = "/dev/conlab/bench/small-document.json";

    private TestDocuments() {
    }

    /** The committed document's text, as it was measured. */
    public static String smallJson() {
        try (InputStream in = TestDocuments.class.getResourceAsStream(SMALL)) {
            if (in == null) throw new IllegalStateException(SMALL + " is not on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The committed document with a fresh id: every call is a new run to store. */
    public static RunDocument small() {
        try {
            RunDocument doc = Json.MAPPER.readValue(smallJson(), RunDocument.class);
            return new RunDocument(doc.schema(), UUID.randomUUID().toString(), doc.startedAt(), doc.finishedAt(), doc.suite(),
                    doc.machine(), doc.jvm(), doc.settings(), doc.results());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A real sweep: sleep-io (20 ms) at 1, 10 and 100 tasks under sequential, threads and virtual-threads, measured by
     * {@code conlab run --suite smoke --workloads sleep-io --models sequential,threads,virtual-threads
     * -p sleep-io.tasks=1,10,100 -p sleep-io.latencyMs=20 --jdk all} on JDK 17 or 25 (virtual-threads unsupported on 17);
     * with a fresh id.
     */
    public static String sweepJson(int jdk) {
        return withFreshId("/dev/conlab/bench/sweep-jdk" + jdk + ".json");
    }

    /** A committed document of the test class path, with a fresh id (uploads are idempotent by id). */
    private static String withFreshId(String name) {
        try (InputStream in = TestDocuments.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is not on the test class path");
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(in);
            node.put("id", UUID.randomUUID().toString());
            return Json.PRETTY.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Real runs of both runtimes on one host, with fresh ids: {@code conlab run --suite smoke --workloads sleep-io,cpu-sum
     * --jdk 25 --python /usr/bin/python3 --out runtimes.json}; {@code runtime} is {@code jdk25} or {@code python}.
     */
    public static String runtimesJson(String runtime) {
        return withFreshId("/dev/conlab/bench/runtimes-" + runtime + ".json");
    }

    /** Measures the small document in this JVM. */
    static RunDocument measure() {
        RunSpec spec = RunPlanner.plan(RunRequest.suite("smoke").withWorkloads(List.of("sleep-io", "producer-consumer"))
                .withModels(List.of("sequential", "threads"))
                .withParams(Map.of("sleep-io.tasks", "2", "sleep-io.latencyMs", "1", "producer-consumer.items", "1000"))
                .withIterations(0, 2));
        Harness harness = new Harness();
        String started = Instant.now().toString();
        List<CellResult> cells = spec.cells().stream().map(c -> harness.run(c, spec.settings(), (i, p, it, of) -> { })).toList();
        return new RunDocument(RunDocument.SCHEMA, UUID.randomUUID().toString(), started, Instant.now().toString(), spec.suite(),
                Probe.machine(), Probe.jvm(), spec.settings(), cells);
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), Json.PRETTY.writeValueAsString(measure()) + "\n");
    }
}
