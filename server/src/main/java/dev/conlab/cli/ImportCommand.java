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
                "With --jmh, the FILEs are JMH result files of this machine: conlab import --jmh target/jmh-result.json"})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOptions db;
    @Mixin
    JmhOptions jmh;
    @Mixin
    MachineNameOption machineName;
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Result documents (JSON), or with --jmh JMH result files.")
    List<Path> files;

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
}
