package dev.conlab.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.Json;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.conlab.db.jooq.Tables.CELL;
import static dev.conlab.db.jooq.Tables.MACHINE;
import static dev.conlab.db.jooq.Tables.RUN;
import static dev.conlab.db.jooq.Tables.RUN_DOCUMENT;
import static dev.conlab.db.jooq.Tables.SAMPLE;

/**
 * Stores result documents: the document as received, and its cells and raw samples in columns. One
 * transaction per document: all of it or nothing. Idempotent by document id.
 */
public final class RunStore {

    /** Where a run came from. */
    public enum Source { LOCAL, UPLOAD }

    /**
     * @param runId   the run's database id
     * @param created false when the same document was stored before
     */
    public record Stored(long runId, boolean created) {
    }

    private final DSLContext dsl;

    public RunStore(Database database) {
        this.dsl = database.dsl();
    }

    /**
     * Stores a validated document.
     *
     * @param rawJson the document's text as received; {@code GET …/document} answers with it
     * @throws ConflictException when another document already has this id
     */
    public Stored insert(RunDocument doc, String rawJson, Source source) {
        String sha = sha256(canonical(doc));
        for (int attempt = 1; ; attempt++) {
            try {
                return dsl.transactionResult(configuration -> insert(DSL.using(configuration), doc, rawJson, source, sha));
            } catch (DataAccessException e) {
                // Two first runs of one machine, or two copies of one document, raced: the other transaction
                // has committed by now, and the next attempt finds its rows.
                if (attempt >= 5 || !isRace(e)) throw e;
            }
        }
    }

    private static boolean isRace(DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("23505".equals(state) || "40001".equals(state) || "HYT00".equals(state) || sql.getErrorCode() == 90131) {
                    return true;
                }
            }
        }
        return false;
    }

    private Stored insert(DSLContext tx, RunDocument doc, String rawJson, Source source, String sha) {
        var existing = tx.select(RUN.ID, RUN.DOCUMENT_SHA256).from(RUN).where(RUN.DOCUMENT_ID.eq(doc.id())).fetchOne();
        if (existing != null) {
            if (sha.equals(existing.value2())) return new Stored(existing.value1(), false);
            throw new ConflictException("a different document with id " + doc.id() + " is already stored");
        }
        long machineId = machineId(tx, doc.machine());
        long runId = tx.insertInto(RUN)
                .set(RUN.DOCUMENT_ID, doc.id())
                .set(RUN.MACHINE_ID, machineId)
                .set(RUN.JDK_FEATURE, doc.jvm().feature())
                .set(RUN.JDK_VERSION, doc.jvm().version())
                .set(RUN.JDK_VENDOR, doc.jvm().vendor())
                .set(RUN.SUITE, doc.suite())
                .set(RUN.SOURCE, source.name().toLowerCase())
                .set(RUN.STATUS, "done")
                .set(RUN.STARTED_AT, time(doc.startedAt()))
                .set(RUN.FINISHED_AT, time(doc.finishedAt()))
                .set(RUN.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .set(RUN.DOCUMENT_SHA256, sha)
                .returning(RUN.ID).fetchOne().getId();
        tx.insertInto(RUN_DOCUMENT).set(RUN_DOCUMENT.RUN_ID, runId).set(RUN_DOCUMENT.DOCUMENT_JSON, rawJson).execute();
        // Three statements per document: the cells in one insert, their ids by position, the samples in one insert.
        var cells = tx.insertInto(CELL, CELL.RUN_ID, CELL.POSITION, CELL.WORKLOAD, CELL.MODEL, CELL.PARAMS_JSON,
                CELL.MODEL_PARAMS_JSON, CELL.STATUS, CELL.CONCURRENCY, CELL.IDEAL_NANOS, CELL.IDEAL_FORMULA,
                CELL.ONE_THREAD_NANOS, CELL.WARMUP_JSON, CELL.METRIC_SOURCES_JSON, CELL.ERROR);
        for (int position = 0; position < doc.results().size(); position++) {
            CellResult cell = doc.results().get(position);
            cells = cells.values(runId, position, cell.workload(), cell.model(), json(cell.params()), json(cell.modelParams()),
                    cell.status(), cell.concurrency(), cell.idealNanos(), cell.idealFormula(), cell.oneThreadNanos(),
                    json(cell.warmupWallNanos()), json(cell.metricSources()), cell.error());
        }
        cells.execute();
        Map<Integer, Long> cellIds = tx.select(CELL.POSITION, CELL.ID).from(CELL).where(CELL.RUN_ID.eq(runId))
                .fetchMap(CELL.POSITION, CELL.ID);
        var samples = tx.insertInto(SAMPLE, SAMPLE.CELL_ID, SAMPLE.ITERATION, SAMPLE.WALL_NANOS, SAMPLE.CPU_NANOS,
                SAMPLE.ALLOC_BYTES, SAMPLE.GC_COUNT, SAMPLE.GC_NANOS, SAMPLE.PEAK_THREADS, SAMPLE.CTX_VOLUNTARY,
                SAMPLE.CTX_INVOLUNTARY);
        int rows = 0;
        for (int position = 0; position < doc.results().size(); position++) {
            int iteration = 0;
            for (Sample s : doc.results().get(position).samples()) {
                samples = samples.values(cellIds.get(position), iteration++, s.wallNanos(), s.cpuNanos(), s.allocBytes(),
                        s.gcCount(), s.gcNanos(), s.peakThreads(), s.ctxSwitchesVoluntary(), s.ctxSwitchesInvoluntary());
                rows++;
            }
        }
        if (rows > 0) samples.execute();
        return new Stored(runId, true);
    }

    /** One row of a run listing. */
    public record RunRow(long id, String documentId, long machineId, String machineLabel, int jdkFeature, String jdkVersion,
                         String jdkVendor, String suite, String source, String status, OffsetDateTime startedAt,
                         OffsetDateTime finishedAt, OffsetDateTime createdAt, int cells) {
    }

    /** Optional filters of a listing; null means "any". */
    public record Filter(Long machineId, Integer jdkFeature, String suite, String source, String model, String workload,
                         OffsetDateTime since) {
        public static final Filter ANY = new Filter(null, null, null, null, null, null, null);
    }

    /** A page of runs, newest first, and how many match in all. */
    public record Page(List<RunRow> runs, int total, int offset, int limit) {
    }

    public Page list(Filter filter, int offset, int limit) {
        Condition where = DSL.noCondition();
        if (filter.machineId() != null) where = where.and(RUN.MACHINE_ID.eq(filter.machineId()));
        if (filter.jdkFeature() != null) where = where.and(RUN.JDK_FEATURE.eq(filter.jdkFeature()));
        if (filter.suite() != null) where = where.and(RUN.SUITE.eq(filter.suite()));
        if (filter.source() != null) where = where.and(RUN.SOURCE.eq(filter.source()));
        if (filter.since() != null) where = where.and(RUN.CREATED_AT.ge(filter.since()));
        if (filter.model() != null || filter.workload() != null) {
            Condition cell = CELL.RUN_ID.eq(RUN.ID);
            if (filter.model() != null) cell = cell.and(CELL.MODEL.eq(filter.model()));
            if (filter.workload() != null) cell = cell.and(CELL.WORKLOAD.eq(filter.workload()));
            where = where.and(DSL.exists(DSL.selectOne().from(CELL).where(cell)));
        }
        int total = dsl.fetchCount(RUN, where);
        List<RunRow> rows = selectRows().where(where).orderBy(RUN.CREATED_AT.desc(), RUN.ID.desc())
                .offset(offset).limit(limit).fetch(RunStore::row);
        return new Page(rows, total, offset, limit);
    }

    public Optional<RunRow> row(long runId) {
        return selectRows().where(RUN.ID.eq(runId)).fetchOptional(RunStore::row);
    }

    private org.jooq.SelectOnConditionStep<org.jooq.Record14<Long, String, Long, String, Integer, String, String, String,
            String, String, OffsetDateTime, OffsetDateTime, OffsetDateTime, Integer>> selectRows() {
        var cells = DSL.field(DSL.selectCount().from(CELL).where(CELL.RUN_ID.eq(RUN.ID)));
        return dsl.select(RUN.ID, RUN.DOCUMENT_ID, RUN.MACHINE_ID, MACHINE.LABEL, RUN.JDK_FEATURE, RUN.JDK_VERSION,
                        RUN.JDK_VENDOR, RUN.SUITE, RUN.SOURCE, RUN.STATUS, RUN.STARTED_AT, RUN.FINISHED_AT, RUN.CREATED_AT, cells)
                .from(RUN).join(MACHINE).on(MACHINE.ID.eq(RUN.MACHINE_ID));
    }

    private static RunRow row(org.jooq.Record14<Long, String, Long, String, Integer, String, String, String, String, String,
            OffsetDateTime, OffsetDateTime, OffsetDateTime, Integer> r) {
        return new RunRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7(), r.value8(),
                r.value9(), r.value10(), r.value11(), r.value12(), r.value13(), r.value14());
    }

    /** The document as it was received, or empty. */
    public Optional<String> documentJson(long runId) {
        return dsl.select(RUN_DOCUMENT.DOCUMENT_JSON).from(RUN_DOCUMENT).where(RUN_DOCUMENT.RUN_ID.eq(runId))
                .fetchOptional(RUN_DOCUMENT.DOCUMENT_JSON);
    }

    public Optional<Long> idOfDocument(String documentId) {
        return dsl.select(RUN.ID).from(RUN).where(RUN.DOCUMENT_ID.eq(documentId)).fetchOptional(RUN.ID);
    }

    /** Runs, samples included. */
    public int count() {
        return dsl.fetchCount(RUN);
    }

    /** Deletes a run with its cells and samples; false if there was none. */
    public boolean delete(long runId) {
        return dsl.transactionResult(c -> DSL.using(c).deleteFrom(RUN).where(RUN.ID.eq(runId)).execute() == 1);
    }

    private static long machineId(DSLContext tx, MachineInfo machine) {
        Long id = tx.select(MACHINE.ID).from(MACHINE).where(MACHINE.FINGERPRINT.eq(machine.fingerprint())).fetchOne(MACHINE.ID);
        if (id != null) return id;
        String label = machine.label() != null ? machine.label() : machine.hostname() != null ? machine.hostname() : machine.fingerprint();
        return tx.insertInto(MACHINE)
                .set(MACHINE.FINGERPRINT, machine.fingerprint())
                .set(MACHINE.LABEL, label)
                .set(MACHINE.HOSTNAME, machine.hostname())
                .set(MACHINE.CPU_MODEL, machine.cpu() == null ? null : machine.cpu().model())
                .set(MACHINE.LOGICAL_CPUS, machine.cpu() == null ? null : machine.cpu().logicalCpus())
                .set(MACHINE.MEMORY_BYTES, machine.memoryBytes())
                .set(MACHINE.FIRST_SEEN, OffsetDateTime.now(ZoneOffset.UTC))
                .returning(MACHINE.ID).fetchOne().getId();
    }

    private static OffsetDateTime time(String iso) {
        return iso == null ? null : OffsetDateTime.ofInstant(Instant.parse(iso), ZoneOffset.UTC);
    }

    /** The document as this version of the lab reads it: what idempotency compares. */
    static String canonical(RunDocument doc) {
        return json(doc);
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        return TokenStore.sha256(text);
    }
}
