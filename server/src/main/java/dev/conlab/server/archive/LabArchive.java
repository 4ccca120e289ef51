package dev.conlab.server.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.db.Database;
import dev.conlab.db.jooq.DefaultSchema;
import org.jooq.Condition;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.conlab.db.jooq.Tables.AGENT;
import static dev.conlab.db.jooq.Tables.API_TOKEN;
import static dev.conlab.db.jooq.Tables.CELL;
import static dev.conlab.db.jooq.Tables.COMPARISON;
import static dev.conlab.db.jooq.Tables.LAB_TASK;
import static dev.conlab.db.jooq.Tables.MACHINE;
import static dev.conlab.db.jooq.Tables.MACHINE_CHECK;
import static dev.conlab.db.jooq.Tables.MACHINE_RUNTIME;
import static dev.conlab.db.jooq.Tables.RUN;
import static dev.conlab.db.jooq.Tables.RUN_DOCUMENT;
import static dev.conlab.db.jooq.Tables.SAMPLE;

/**
 * The whole lab in one file, and back: every table's rows as stored — runs with their documents, cells and samples, machines
 * with their labels, shared comparisons with their slugs and snapshots, retractions, tokens (their hashes, scopes and
 * revocations: a token's secret is never stored, so never exported), agents, checks — with their ids, so that every link
 * (/runs/ID, /c/SLUG) answers the same on the database it is imported into, H2 or PostgreSQL.
 * <p>
 * The file is gzip'd JSON lines: a header ({@code "format": "conlab-export"}, its {@link #VERSION}, the schema it was read
 * at, each table's row count), then per table a line naming its columns and one line per row (the values in that order).
 * Export reads one snapshot (one transaction at snapshot isolation), so a copy taken while the server runs and uploads
 * arrive is consistent. Import writes rows in batches, each its own transaction, and skips a row whose key is already
 * there: importing the same file again changes nothing, and an import cut short resumes where it stopped.
 */
public final class LabArchive {

    public static final String FORMAT = "conlab-export";
    /** This release writes version 1 and reads versions up to it; a later release that changes the layout raises it. */
    public static final int VERSION = 1;

    /** The tables, parents before children (an import inserts in this order). Every table of the schema is here (tested). */
    public static final List<Table<?>> TABLES = List.of(MACHINE, API_TOKEN, AGENT, MACHINE_RUNTIME, MACHINE_CHECK, LAB_TASK, RUN,
            RUN_DOCUMENT, CELL, SAMPLE, COMPARISON);

    static final int BATCH = 1000;

    private LabArchive() {
    }

    /** Which runs to export (with what hangs on them); null fields: no limit. Machines, tokens and agents always go whole. */
    public record Filter(List<Long> machineIds, OffsetDateTime since, OffsetDateTime until) {
        public static final Filter ALL = new Filter(null, null, null);

        boolean all() {
            return machineIds == null && since == null && until == null;
        }

        Condition runs() {
            Condition c = DSL.trueCondition();
            if (machineIds != null) c = c.and(RUN.MACHINE_ID.in(machineIds).or(RUN.TARGET_MACHINE_ID.in(machineIds)));
            if (since != null) c = c.and(RUN.CREATED_AT.ge(since));
            if (until != null) c = c.and(RUN.CREATED_AT.lt(until));
            return c;
        }
    }

    /** Progress: rows done of a total, and the table now. */
    public record Progress(String table, long done, long total) {
    }

    /** What an export or import did: rows per table (an import's: written, and already there). */
    public record Counts(Map<String, Long> rows, Map<String, Long> skipped) {
        public long total() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }

        public long totalSkipped() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Why an archive cannot be read or imported, in a sentence. */
    public static final class ArchiveException extends RuntimeException {
        public ArchiveException(String message) {
            super(message);
        }
    }

    /** Writes the lab (or the filter's part of it) to {@code out}, gzip'd; {@code out} is not closed. */
    public static Counts export(Database database, Filter filter, OutputStream out, Consumer<Progress> progress) throws IOException {
        return LabExport.export(database, filter, out, progress);
    }

    /** The header of an archive, read without importing it: null when {@code in} is not one. */
    public static JsonNode header(InputStream in) throws IOException {
        return LabImport.header(in);
    }

    /**
     * Imports an archive: rows whose key is already there are skipped (the same file again changes nothing; an import cut
     * short resumes), the others inserted with their ids, in batches; then every identity continues after the largest id.
     * A row that collides with a different one (a unique name or fingerprint held under another id) stops the import with a
     * sentence: an archive goes into an empty database, or one it was imported into before.
     */
    public static Counts importArchive(Database database, InputStream in, Consumer<Progress> progress) throws IOException {
        return LabImport.importArchive(database, in, progress);
    }

    static List<TableField<?, ?>> key(Table<?> table) {
        UniqueKey<?> pk = table.getPrimaryKey();
        if (pk == null) throw new IllegalStateException(table.getName() + " has no primary key");
        return new ArrayList<>(pk.getFields());
    }

    /** The tables a schema has that an archive must carry (all but Flyway's own). */
    public static List<String> schemaTables() {
        return DefaultSchema.DEFAULT_SCHEMA.getTables().stream().map(t -> t.getName().toLowerCase())
                .filter(n -> !n.startsWith("flyway")).sorted().toList();
    }
}
