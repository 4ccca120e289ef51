package dev.conlab.cli;

import dev.conlab.db.Database;
import dev.conlab.db.MachineStore;
import dev.conlab.server.archive.LabArchive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the whole lab — every run with its document, cells and samples, machines and their names, shared comparisons "
                + "with their slugs, retractions, tokens (hashes and scopes, never a secret), agents — into one compressed file, read "
                + "from one snapshot (a server may run and take uploads meanwhile).",
                "conlab import FILE loads it into any database, H2 or PostgreSQL, with every id and permalink as it was: moving a lab "
                + "from H2 to PostgreSQL is  conlab export lab.conlab.gz  then  conlab import --db jdbc:postgresql://HOST/DB lab.conlab.gz.",
                "--machine, --since and --until take part of the runs (shared comparisons are then left out: their runs may be elsewhere)."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOptions db;

    @Parameters(paramLabel = "FILE", description = "The file to write (conventionally NAME.conlab.gz); written whole or not at all.")
    Path file;

    @Option(names = "--machine", paramLabel = "LABEL", description = "Only this machine's runs (repeatable).")
    List<String> machines;

    @Option(names = "--since", paramLabel = "DATE", description = "Only runs created on or after this day (YYYY-MM-DD, UTC).")
    LocalDate since;

    @Option(names = "--until", paramLabel = "DATE", description = "Only runs created before this day (YYYY-MM-DD, UTC).")
    LocalDate until;

    @Option(names = "--no-progress", description = "No progress lines on stderr.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = db.open()) {
            LabArchive.Filter filter = LabArchive.Filter.ALL;
            if (machines != null || since != null || until != null) {
                List<Long> ids = null;
                if (machines != null) {
                    ids = new ArrayList<>();
                    var store = new MachineStore(database);
                    for (String label : machines) {
                        long id = store.list().stream().filter(m -> m.label().equals(label)).mapToLong(MachineStore.Machine::id).findFirst()
                                .orElseThrow(() -> new ParameterException(spec.commandLine(), "no machine is named '" + label
                                        + "': the names are " + String.join(", ", store.list().stream().map(MachineStore.Machine::label).toList())));
                        ids.add(id);
                    }
                }
                filter = new LabArchive.Filter(ids, day(since), day(until));
            }
            long start = System.nanoTime();
            LabArchive.Counts counts = write(database, filter, file, progress("export", noProgress));
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("%s: %,d runs, %,d cells, %,d samples, %,d machines, %,d shared comparisons, %,d tokens (%,d rows in all, %,d bytes) in %.1f s%n",
                    file, counts.rows().get("run"), counts.rows().get("cell"), counts.rows().get("sample"), counts.rows().get("machine"),
                    counts.rows().get("comparison"), counts.rows().get("api_token"), counts.total(), Files.size(file), seconds);
        }
        out.flush();
        return 0;
    }

    private static OffsetDateTime day(LocalDate date) {
        return date == null ? null : date.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** Writes the archive to FILE.part, syncs it, then renames it to FILE: a reader never sees half a file. */
    static LabArchive.Counts write(Database database, LabArchive.Filter filter, Path file, Consumer<LabArchive.Progress> progress)
            throws IOException {
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) Files.createDirectories(absolute.getParent());
        Path part = absolute.resolveSibling(absolute.getFileName() + ".part");
        LabArchive.Counts counts;
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
             OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
            counts = LabArchive.export(database, filter, out, progress);
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return counts;
    }

    /** A progress line on stderr at most every 2 s: how far, of how much. */
    static Consumer<LabArchive.Progress> progress(String what, boolean quiet) {
        long start = System.nanoTime();
        long[] last = {start};
        return p -> {
            long now = System.nanoTime();
            if (quiet || now - last[0] < 2_000_000_000L) return;
            last[0] = now;
            System.err.printf("%s: %3.0f %% (%,d of %,d rows; now %s) %.0f s%n", what, p.total() == 0 ? 100.0 : 100.0 * p.done() / p.total(),
                    p.done(), p.total(), p.table(), (now - start) / 1e9);
            System.err.flush();
        };
    }
}
