package dev.conlab.server.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import static dev.conlab.server.archive.LabArchive.*;

/** {@link LabArchive}'s reading half: rows in batches, each skipped when its key is there, then the identities restarted. */
final class LabImport {

    private static final int BATCH = LabArchive.BATCH;

    private LabImport() {
    }

    /** The header of an archive, read without importing it: null when {@code in} is not one. */
    static JsonNode header(InputStream in) throws IOException {
        try {
            var reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            String first = reader.readLine();
            if (first == null) return null;
            JsonNode header = Json.MAPPER.readTree(first);
            return header != null && FORMAT.equals(header.path("format").asText()) ? header : null;
        } catch (java.util.zip.ZipException | java.io.EOFException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return null; // not gzip'd, shorter than a gzip header, or not JSON
        }
    }

    /**
     * Imports an archive: rows whose key is already there are skipped (the same file again changes nothing; an import cut
     * short resumes), the others inserted with their ids, in batches; then every identity continues after the largest id.
     * A row that collides with a different one (a unique name or fingerprint held under another id) stops the import with a
     * sentence: an archive goes into an empty database, or one it was imported into before.
     */
    static Counts importArchive(Database database, InputStream in, Consumer<Progress> progress) throws IOException {
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
}
