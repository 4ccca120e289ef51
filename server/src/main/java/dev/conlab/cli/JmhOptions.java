package dev.conlab.cli;

import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.harness.Probe;
import dev.conlab.server.core.Limits;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** {@code --jmh} and {@code --machine-label}, shared by import and upload: the FILEs are JMH result files of this machine. */
final class JmhOptions {

    @Option(names = "--jmh", description = {"The FILEs are JMH result files (java -jar benchmarks.jar -rf json): each becomes a run of "
            + "suite jmh on this machine (its probe is added: JMH records the JVM, not the machine), one cell per benchmark, mode and "
            + "@Param point, JMH's raw data as samples."})
    boolean jmh;

    @Option(names = "--machine-label", paramLabel = "LABEL", description = {"With --jmh: the label this machine gets when the lab "
            + "meets it for the first time (default: its hostname, or --machine-name). A machine the lab knows keeps its label."})
    String label;

    /** This machine as the imported file's: the probe, with --machine-name's identity and --machine-label's label. */
    MachineInfo machine() {
        MachineInfo m = Probe.machine();
        if (label == null || label.isBlank()) return m;
        return new MachineInfo(m.fingerprint(), label.strip(), m.hostname(), m.os(), m.cpu(), m.memoryBytes(), m.container());
    }

    /** A JMH file's text, refusing one over the document limit before reading it. */
    static String read(Path file) throws IOException {
        if (Files.size(file) > Limits.MAX_DOCUMENT_BYTES) {
            throw new IOException("larger than " + Limits.MAX_DOCUMENT_TEXT + ", the document limit: split the JMH run into several files");
        }
        return dev.conlab.server.runs.Ingest.decode(Files.readAllBytes(file));
    }

    /** When JMH finished writing the file: JMH records no time of its own. */
    static Instant finishedAt(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toInstant();
    }
}
