package dev.conlab.server;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.Harness;
import dev.conlab.bench.Probe;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunPlanner;
import dev.conlab.bench.RunSpec;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A real, small result document measured in this JVM: three smoke cells, one of them unsupported. */
final class ApiTestDocuments {

    private ApiTestDocuments() {
    }

    static RunDocument document() {
        RunSpec spec = RunPlanner.plan("smoke", List.of("sleep-io", "producer-consumer"), List.of("sequential", "threads"),
                Map.of("sleep-io.tasks", "2", "sleep-io.latencyMs", "1", "producer-consumer.items", "1000"), 0, 2, null, null);
        Harness harness = new Harness();
        List<CellResult> cells = spec.cells().stream().map(c -> harness.run(c, spec.settings(), (i, p, it, of) -> { })).toList();
        return new RunDocument(RunDocument.SCHEMA, UUID.randomUUID().toString(), Instant.now().toString(),
                Instant.now().toString(), spec.suite(), Probe.machine(), Probe.jvm(), spec.settings(), cells);
    }
}
