package dev.conlab.server.archive;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import dev.conlab.db.jooq.DefaultSchema;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

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

    private static final int BATCH = 1000;

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

    // ---------------------------------------------------------------------------------------------------------------- export

    /** Writes the lab (or the filter's part of it) to {@code out}, gzip'd; {@code out} is not closed. */
    public static Counts export(Database database, Filter filter, OutputStream out, Consumer<Progress> progress) throws IOException {
        var counts = new LinkedHashMap<String, Long>();
        try {
            database.dsl().connection(connection -> {
                boolean autoCommit = connection.getAutoCommit();
                int isolation = connection.getTransactionIsolation();
                connection.setAutoCommit(false);
                // one snapshot for the whole file: H2's SNAPSHOT level (6), PostgreSQL's REPEATABLE READ (which is snapshot isolation)
                connection.setTransactionIsolation(database.dialect() == SQLDialect.H2 ? 6 : java.sql.Connection.TRANSACTION_REPEATABLE_READ);
                try {
                    DSLContext tx = DSL.using(connection, database.dialect(), database.dsl().settings());
                    write(tx, filter, out, progress, counts);
                    connection.commit();
                } finally {
                    try {
                        connection.rollback();
                        connection.setTransactionIsolation(isolation);
                        connection.setAutoCommit(autoCommit);
                    } catch (java.sql.SQLException e) {
                        // the connection failed with the export: that failure is the one to report
                    }
                }
            });
        } catch (org.jooq.exception.DataAccessException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw e;
        }
        return new Counts(counts, Map.of());
    }

    private static void write(DSLContext tx, Filter filter, OutputStream out, Consumer<Progress> progress, Map<String, Long> counts)
            throws IOException {
        var totals = new LinkedHashMap<String, Long>();
        long total = 0;
        for (Table<?> table : TABLES) {
            long n = tx.selectCount().from(table).where(condition(table, filter)).fetchOne(0, Long.class);
            totals.put(table.getName().toLowerCase(), n);
            total += n;
        }
        var gzip = new GZIPOutputStream(new NonClosing(out), 1 << 16);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(gzip, JsonEncoding.UTF8)) {
            json.setRootValueSeparator(null);
            ObjectNode header = Json.MAPPER.createObjectNode();
            header.put("format", FORMAT);
            header.put("version", VERSION);
            header.put("schema", tx.fetchOne("select max(cast(\"version\" as int)) from \"flyway_schema_history\" where \"success\"").get(0, Integer.class));
            header.put("exportedAt", OffsetDateTime.now(java.time.ZoneOffset.UTC).toString());
            header.put("filtered", !filter.all());
            header.set("rows", Json.MAPPER.valueToTree(totals));
            line(json, header);
            long done = 0;
            for (Table<?> table : TABLES) {
                String name = table.getName().toLowerCase();
                Field<?>[] fields = table.fields();
                ObjectNode section = Json.MAPPER.createObjectNode();
                section.put("table", name);
                ArrayNode columns = section.putArray("columns");
                for (Field<?> f : fields) columns.add(f.getName().toLowerCase());
                section.put("rows", totals.get(name));
                line(json, section);
                long n = 0;
                List<TableField<?, ?>> key = key(table);
                // a LOB column (H2's TEXT) read as text: H2 keeps every LOB a transaction has read until it ends, and this one
                // reads them all (a 100,000-run lab: gigabytes)
                var select = new ArrayList<Field<?>>();
                for (Field<?> f : fields) select.add(f.getDataType().isLob() ? DSL.cast(f, SQLDataType.VARCHAR).as(f.getName()) : f);
                Object[] last = null;
                while (true) {
                    var page = tx.select(select).from(table).where(condition(table, filter)).and(after(key, last))
                            .orderBy(key.stream().map(f -> (SortField<?>) f.asc()).toList()).limit(BATCH).fetch();
                    for (Record r : page) {
                        json.writeStartArray();
                        for (int i = 0; i < fields.length; i++) writeValue(json, r.get(i));
                        json.writeEndArray();
                        json.writeRaw('\n');
                    }
                    n += page.size();
                    progress.accept(new Progress(name, done + n, total));
                    if (page.size() < BATCH) break;
                    Record tail = page.get(page.size() - 1);
                    last = new Object[key.size()];
                    for (int k = 0; k < key.size(); k++) last[k] = tail.get(key.get(k));
                }
                done += n;
                counts.put(name, n);
            }
            ObjectNode end = Json.MAPPER.createObjectNode();
            end.put("end", true);
            end.set("rows", Json.MAPPER.valueToTree(counts));
            line(json, end);
        }
        gzip.finish();
        gzip.flush();
    }

    /** Which rows of a table the filter takes: a run's, and what hangs on the runs taken. */
    private static Condition condition(Table<?> table, Filter filter) {
        if (filter.all()) return DSL.trueCondition();
        var runs = DSL.select(RUN.ID).from(RUN).where(filter.runs());
        if (table == RUN) return filter.runs();
        if (table == RUN_DOCUMENT) return RUN_DOCUMENT.RUN_ID.in(runs);
        if (table == CELL) return CELL.RUN_ID.in(runs);
        if (table == SAMPLE) return SAMPLE.CELL_ID.in(DSL.select(CELL.ID).from(CELL).where(CELL.RUN_ID.in(runs)));
        if (table == COMPARISON) return DSL.falseCondition(); // a comparison's runs may be outside the part taken: the whole lab's export carries them
        return DSL.trueCondition();
    }

    private static List<TableField<?, ?>> key(Table<?> table) {
        UniqueKey<?> pk = table.getPrimaryKey();
        if (pk == null) throw new IllegalStateException(table.getName() + " has no primary key");
        return new ArrayList<>(pk.getFields());
    }

    /** Keyset pagination: rows after the key values {@code last} in the key's order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Condition after(List<TableField<?, ?>> key, Object[] last) {
        if (last == null) return DSL.trueCondition();
        if (key.size() == 1) {
            Field f = key.get(0);
            return f.gt(last[0]);
        }
        return DSL.row(key.toArray(new Field[0])).gt(DSL.row(last));
    }

    private static void writeValue(JsonGenerator json, Object v) throws IOException {
        if (v == null) json.writeNull();
        else if (v instanceof Long l) json.writeNumber(l);
        else if (v instanceof Integer i) json.writeNumber(i);
        else if (v instanceof Double d) json.writeNumber(d);
        else if (v instanceof java.math.BigDecimal b) json.writeNumber(b);
        else if (v instanceof Boolean b) json.writeBoolean(b);
        else if (v instanceof OffsetDateTime t) json.writeString(t.toString());
        else json.writeString(v.toString());
    }

    private static void line(JsonGenerator json, JsonNode node) throws IOException {
        json.writeTree(node);
        json.writeRaw('\n');
    }

    // ---------------------------------------------------------------------------------------------------------------- import

    /** The header of an archive, read without importing it: null when {@code in} is not one. */
    public static JsonNode header(InputStream in) throws IOException {
        try {
            var reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            String first = reader.readLine();
            if (first == null) return null;
            JsonNode header = Json.MAPPER.readTree(first);
            return header != null && FORMAT.equals(header.path("format").asText()) ? header : null;
        } catch (java.util.zip.ZipException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /**
     * Imports an archive: rows whose key is already there are skipped (the same file again changes nothing; an import cut
     * short resumes), the others inserted with their ids, in batches; then every identity continues after the largest id.
     * A row that collides with a different one (a unique name or fingerprint held under another id) stops the import with a
     * sentence: an archive goes into an empty database, or one it was imported into before.
     */
    public static Counts importArchive(Database database, InputStream in, Consumer<Progress> progress) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in, 1 << 16), StandardCharsets.UTF_8), 1 << 16);
        JsonNode header = Json.MAPPER.readTree(reader.readLine());
        if (header == null || !FORMAT.equals(header.path("format").asText())) {
            throw new ArchiveException("not a conlab export: its first line is not a header with \"format\": \"" + FORMAT + "\"");
        }
        int version = header.path("version").asInt(-1);
        if (version < 1 || version > VERSION) {
            throw new ArchiveException("this export is version " + version + " of the format; this conlab reads versions 1 to " + VERSION
                    + ": import it with a newer conlab");
        }
        long total = 0;
        for (JsonNode n : header.path("rows")) total += n.asLong();
        var written = new LinkedHashMap<String, Long>();
        var skipped = new LinkedHashMap<String, Long>();
        DSLContext dsl = database.dsl();
        Table<?> table = null;
        List<Field<?>> columns = List.of();
        var batch = new ArrayList<JsonNode>();
        long done = 0;
        boolean ended = false;
        String line;
        long lineNumber = 1;
        while ((line = next(reader)) != null) {
            lineNumber++;
            if (line.isEmpty()) continue;
            JsonNode parsed;
            try {
                parsed = Json.MAPPER.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                if (next(reader) == null) break; // the last line, cut: the file ends early
                throw new ArchiveException("line " + lineNumber + " is not JSON: the file is damaged");
            }
            if (line.charAt(0) == '[') {
                if (table == null) throw new ArchiveException("a row before any table's header: the file is damaged");
                batch.add(parsed);
                if (batch.size() == BATCH) {
                    done += flush(dsl, table, columns, batch, written, skipped);
                    progress.accept(new Progress(table.getName().toLowerCase(), done, total));
                }
                continue;
            }
            JsonNode node = parsed;
            if (table != null && !batch.isEmpty()) {
                done += flush(dsl, table, columns, batch, written, skipped);
                progress.accept(new Progress(table.getName().toLowerCase(), done, total));
            }
            if (node.path("end").asBoolean()) {
                ended = true;
                break;
            }
            String name = node.path("table").asText();
            table = TABLES.stream().filter(t -> t.getName().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new ArchiveException("the export has a table '" + name + "' this conlab does not know: import it with a newer conlab"));
            var list = new ArrayList<Field<?>>();
            for (JsonNode c : node.path("columns")) {
                Field<?> f = table.field(c.asText().toUpperCase());
                if (f == null) f = table.field(c.asText());
                if (f == null) {
                    throw new ArchiveException("the export's table " + name + " has a column '" + c.asText()
                            + "' this conlab does not know: import it with a newer conlab");
                }
                list.add(f);
            }
            columns = list;
            written.putIfAbsent(name, 0L);
            skipped.putIfAbsent(name, 0L);
        }
        if (!ended && table != null && !batch.isEmpty()) done += flush(dsl, table, columns, batch, written, skipped);
        if (!ended) throw new ArchiveException("the export ends early (after " + done + " of " + total + " rows): it was cut short when it was written or copied; "
                + "what it held so far is imported, and importing a whole copy later completes it");
        restartIdentities(database);
        return new Counts(written, skipped);
    }

    /** The next line, or null at the end — also where the compressed stream was cut short (a copy interrupted). */
    private static String next(BufferedReader reader) throws IOException {
        try {
            return reader.readLine();
        } catch (java.io.EOFException e) {
            return null;
        }
    }

    /** Inserts the batch's rows whose key is not there yet; returns how many rows the batch had. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int flush(DSLContext dsl, Table<?> table, List<Field<?>> columns, List<JsonNode> batch, Map<String, Long> written,
                             Map<String, Long> skipped) {
        String name = table.getName().toLowerCase();
        List<TableField<?, ?>> key = key(table);
        int[] keyAt = new int[key.size()];
        for (int k = 0; k < key.size(); k++) {
            keyAt[k] = columns.indexOf(key.get(k));
            if (keyAt[k] < 0) throw new ArchiveException("the export's table " + name + " lacks its key column " + key.get(k).getName());
        }
        var rows = new ArrayList<Object[]>();
        for (JsonNode row : batch) {
            if (!row.isArray() || row.size() != columns.size()) {
                throw new ArchiveException("a row of table " + name + " has " + row.size() + " values for " + columns.size() + " columns: the file is damaged");
            }
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) values[i] = value(columns.get(i), row.get(i));
            rows.add(values);
        }
        int n = batch.size();
        batch.clear();
        dsl.transaction(c -> {
            DSLContext tx = DSL.using(c);
            // the keys already there: skipped (the same file again, or an import resumed)
            var present = new java.util.HashSet<List<Object>>();
            Field[] keyFields = key.toArray(new Field[0]);
            for (int from = 0; from < rows.size(); from += 500) {
                List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + 500));
                Condition in;
                if (key.size() == 1) {
                    in = keyFields[0].in(part.stream().map(r -> r[keyAt[0]]).toList());
                } else {
                    in = DSL.row(keyFields).in(part.stream().map(r -> {
                        Object[] k = new Object[keyAt.length];
                        for (int i = 0; i < k.length; i++) k[i] = r[keyAt[i]];
                        return DSL.row(k);
                    }).toList().toArray(new org.jooq.RowN[0]));
                }
                for (Record r : tx.select(keyFields).from(table).where(in).fetch()) {
                    present.add(java.util.Arrays.asList(r.intoArray()));
                }
            }
            var insert = new ArrayList<Object[]>();
            for (Object[] r : rows) {
                Object[] k = new Object[keyAt.length];
                for (int i = 0; i < k.length; i++) k[i] = r[keyAt[i]];
                if (!present.contains(java.util.Arrays.asList(k))) insert.add(r);
            }
            if (!insert.isEmpty()) {
                var step = tx.insertInto(table, columns.toArray(new Field[0]));
                org.jooq.InsertValuesStepN values = (org.jooq.InsertValuesStepN) step;
                for (Object[] r : insert) values = values.values(r);
                try {
                    values.execute();
                } catch (org.jooq.exception.IntegrityConstraintViolationException e) {
                    throw new ArchiveException("a row of table " + name + " collides with a different one already in this database (a name, "
                            + "fingerprint or slug held under another id): import an export into an empty database, or into the one it "
                            + "was imported into before");
                }
            }
            written.merge(name, (long) insert.size(), Long::sum);
            skipped.merge(name, (long) (rows.size() - insert.size()), Long::sum);
        });
        return n;
    }

    private static Object value(Field<?> field, JsonNode v) {
        if (v == null || v.isNull()) return null;
        Class<?> type = field.getType();
        if (type == OffsetDateTime.class) return OffsetDateTime.parse(v.asText());
        if (type == Long.class) return v.asLong();
        if (type == Integer.class) return v.asInt();
        if (type == Double.class) return v.asDouble();
        if (type == Boolean.class) return v.asBoolean();
        if (type == String.class) return v.asText();
        return field.getDataType().convert(v.isNumber() ? v.numberValue() : v.asText());
    }

    /** Every identity column continues after the largest id now stored (rows came in with their ids). */
    private static void restartIdentities(Database database) {
        DSLContext dsl = database.dsl();
        for (Table<?> table : TABLES) {
            Field<?> identity = table.getIdentity() == null ? null : table.getIdentity().getField();
            if (identity == null) continue;
            Long max = dsl.select(DSL.max(identity.coerce(Long.class))).from(table).fetchOne(0, Long.class);
            long next = max == null ? 1 : max + 1;
            String t = table.getName().toLowerCase();
            String c = identity.getName().toLowerCase();
            if (database.dialect() == SQLDialect.POSTGRES) {
                dsl.execute("select setval(pg_get_serial_sequence('" + t + "', '" + c + "'), " + next + ", false)");
            } else {
                dsl.execute("alter table " + t + " alter column " + c + " restart with " + next);
            }
        }
    }

    /** The tables a schema has that an archive must carry (all but Flyway's own). */
    public static List<String> schemaTables() {
        return DefaultSchema.DEFAULT_SCHEMA.getTables().stream().map(t -> t.getName().toLowerCase())
                .filter(n -> !n.startsWith("flyway")).sorted().toList();
    }

    /** An output stream whose close does not close the one under it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
