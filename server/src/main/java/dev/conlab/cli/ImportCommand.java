package dev.conlab.cli;

import dev.conlab.db.Database;
import dev.conlab.db.RunStore;
import dev.conlab.server.core.LabException;
import dev.conlab.server.runs.Ingest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Load result documents (conlab run --out files) straight into the database, each all or nothing.",
                "A document already stored is reported and skipped; an invalid one is reported with every problem and its JSON path.",
                "With --jmh, the FILEs are JMH result files of this machine: conlab import --jmh target/jmh-result.json",
                "A FILE ending in .ndjson or .jsonl holds many documents, one per line (a year of nightly runs): they are validated on every",
                "core and stored many per transaction, each still all or nothing; refused lines are reported with their first problem.",
                "A FILE written by conlab export or conlab backup is a whole lab: its rows go in with their ids (every link and permalink "
                        + "as it was), into an empty database or one it was imported into before; the same file again changes nothing, "
                        + "and an import cut short resumes."})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOptions db;
    @Mixin
    JmhOptions jmh;
    @Mixin
    MachineNameOption machineName;
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Result documents (JSON), a lab's export, or with --jmh JMH result files.")
    List<Path> files;

    @picocli.CommandLine.Option(names = "--no-progress", description = "No progress lines on stderr.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int refused = 0;
        try (Database database = db.open()) {
            Ingest ingest = new Ingest(new RunStore(database));
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    err.println(file + ": no such file");
                    refused++;
                    continue;
                }
                if (!jmh.jmh && archive(file)) {
                    refused += restore(database, file, out, err);
                    continue;
                }
                if (!jmh.jmh && (file.toString().endsWith(".ndjson") || file.toString().endsWith(".jsonl"))) {
                    refused += bulk(ingest, file, out, err);
                    continue;
                }
                try {
                    Ingest.Outcome outcome = jmh.jmh
                            ? ingest.storeJmh(JmhOptions.read(file), jmh.machine(), JmhOptions.finishedAt(file), file.getFileName().toString(),
                            RunStore.Source.UPLOAD)
                            : ingest.storeFile(file, RunStore.Source.UPLOAD);
                    RunStore.Stored stored = outcome.stored();
                    var doc = outcome.document();
                    out.printf("%s: %s run %d (%s, %s, suite %s, %d cells)%n", file,
                            stored.created() ? "imported as" : "already stored as", stored.runId(),
                            doc.machine().label(), doc.runtimeLabel(), doc.suite(), doc.results().size());
                } catch (LabException.Invalid e) {
                    if (e.problems().isEmpty()) {
                        err.println(file + ": " + e.getMessage());
                    } else {
                        err.println(file + ": " + (jmh.jmh ? e.getMessage() : "not a valid result document") + ":");
                        e.problems().forEach(p -> err.println("  " + p.path() + ": " + p.message()));
                    }
                    refused++;
                } catch (LabException.Conflict e) {
                    err.println(file + ": " + e.getMessage());
                    refused++;
                }
            }
        }
        out.flush();
        err.flush();
        return refused == 0 ? 0 : 1;
    }

    /** Whether FILE is a lab's export (gzip'd, with the export's header line). */
    private static boolean archive(Path file) throws java.io.IOException {
        try (var in = Files.newInputStream(file)) {
            return dev.conlab.server.archive.LabArchive.header(in) != null; // not gzip'd: refused at its first two bytes
        }
    }

    /** Imports a lab's export; 0 when it went in whole, 1 with the sentence that says why not. */
    private int restore(Database database, Path file, PrintWriter out, PrintWriter err) throws java.io.IOException {
        long start = System.nanoTime();
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            var counts = dev.conlab.server.archive.LabArchive.importArchive(database, in, ExportCommand.progress("import", noProgress));
            out.printf("%s: %,d rows imported, %,d already there (runs: %,d imported, %,d already there) in %.1f s%n", file, counts.total(),
                    counts.totalSkipped(), counts.rows().getOrDefault("run", 0L), counts.skipped().getOrDefault("run", 0L),
                    (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (dev.conlab.server.archive.LabArchive.ArchiveException e) {
            err.println(file + ": " + e.getMessage());
            return 1;
        }
    }

    /** A file of many documents, one per line: stored in groups, with a progress line; how many were refused. */
    private static int bulk(Ingest ingest, Path file, PrintWriter out, PrintWriter err) throws java.io.IOException {
        long start = System.nanoTime();
        long[] last = {start};
        Ingest.Bulk bulk;
        try (var in = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            bulk = ingest.storeLines(in, RunStore.Source.UPLOAD, lines -> {
                long now = System.nanoTime();
                if (now - last[0] >= 5_000_000_000L) {
                    last[0] = now;
                    err.printf("%s: %,d lines read, %.0f s%n", file, lines, (now - start) / 1e9);
                    err.flush();
                }
            });
        }
        bulk.refused().stream().limit(50).forEach(r -> err.println(file + ": " + r));
        if (bulk.refused().size() > 50) err.println(file + ": … and " + (bulk.refused().size() - 50) + " more refused");
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("%s: %,d documents imported, %,d already stored, %,d refused, in %.1f s (%.0f documents/s)%n", file, bulk.stored(),
                bulk.already(), bulk.refused().size(), seconds, (bulk.stored() + bulk.already()) / Math.max(seconds, 1e-9));
        return bulk.refused().size();
    }
}
