package dev.conlab.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real, small result document measured in the test's own JVM: sleep-io and producer-consumer under
 * sequential and threads (the producer-consumer × sequential cell is unsupported). Shared with the db and
 * server tests through the bench test jar.
 */
public final class TestDocuments {

    private TestDocuments() {
    }

    public static RunDocument small() {
        RunSpec spec = RunPlanner.plan("smoke", List.of("sleep-io", "producer-consumer"), List.of("sequential", "threads"),
                Map.of("sleep-io.tasks", "2", "sleep-io.latencyMs", "1", "producer-consumer.items", "1000"), 0, 2, null, null);
        Harness harness = new Harness();
        List<CellResult> cells = spec.cells().stream().map(c -> harness.run(c, spec.settings(), (i, p, it, of) -> { })).toList();
        return new RunDocument(RunDocument.SCHEMA, UUID.randomUUID().toString(), Instant.now().toString(),
                Instant.now().toString(), spec.suite(), Probe.machine(), Probe.jvm(), spec.settings(), cells);
    }
}
