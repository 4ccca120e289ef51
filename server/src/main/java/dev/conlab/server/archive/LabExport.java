package dev.conlab.server.archive;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.io.IOException;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import static dev.conlab.server.archive.LabArchive.*;
import static dev.conlab.db.jooq.Tables.CELL;
import static dev.conlab.db.jooq.Tables.COMPARISON;
import static dev.conlab.db.jooq.Tables.RUN;
import static dev.conlab.db.jooq.Tables.RUN_DOCUMENT;
import static dev.conlab.db.jooq.Tables.SAMPLE;

/** {@link LabArchive}'s writing half: one snapshot of the lab, table by table, in key order. */
final class LabExport {

    private static final int BATCH = LabArchive.BATCH;

    private LabExport() {
    }

    /** Writes the lab (or the filter's part of it) to {@code out}, gzip'd; {@code out} is not closed. */
    static Counts export(Database database, Filter filter, OutputStream out, Consumer<Progress> progress) throws IOException {
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
