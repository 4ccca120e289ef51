package dev.conlab.cli;

import dev.conlab.db.Database;
import dev.conlab.server.archive.LabArchive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"A consistent copy of the whole lab while it runs: the export (conlab export) of one snapshot of the database, "
                + "written to FILE.part, synced and renamed, so that FILE is whole or absent. Uploads may arrive meanwhile; the copy holds "
                + "everything acknowledged before it began.",
                "Restore: stop the server, then  conlab import FILE  into an empty database (a new --data-dir, or an empty PostgreSQL "
                + "database with --db); every run, name, permalink and token is as it was."})
final class BackupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOptions db;

    @Parameters(paramLabel = "FILE", description = "The backup file (conventionally lab-DATE.conlab.gz).")
    Path file;

    @Option(names = "--no-progress", description = "No progress lines on stderr.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = db.open()) {
            long start = System.nanoTime();
            LabArchive.Counts counts = ExportCommand.write(database, LabArchive.Filter.ALL, file, ExportCommand.progress("backup", noProgress));
            out.printf("%s: a backup of %,d runs (%,d rows, %,d bytes) in %.1f s; restore it with: conlab import %s%n", file,
                    counts.rows().get("run"), counts.total(), Files.size(file), (System.nanoTime() - start) / 1e9, file);
        }
        out.flush();
        return 0;
    }
}
