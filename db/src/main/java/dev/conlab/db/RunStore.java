package dev.conlab.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import static dev.conlab.db.jooq.Tables.CELL;
import static dev.conlab.db.jooq.Tables.MACHINE;
import static dev.conlab.db.jooq.Tables.LAB_TASK;
import static dev.conlab.db.jooq.Tables.MACHINE_RUNTIME;
import static dev.conlab.db.jooq.Tables.RUN;
import static dev.conlab.db.jooq.Tables.RUN_DOCUMENT;
import static dev.conlab.db.jooq.Tables.SAMPLE;

/**
 * Stores result documents: the document as received, and its cells and raw samples in columns. One
 * transaction per document: all of it or nothing. Idempotent by document id.
 */
public final class RunStore {

    /** Where a run came from: measured by this server's queue, or uploaded (the CLI, CI, imports, sample data). */
    public enum Source {
        LOCAL, UPLOAD;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param runId   the run's database id
     * @param created false when the same document was stored before
     */
    public record Stored(long runId, boolean created) {
    }

    private final DSLContext dsl;
    private final GroupCommit commits;

    public RunStore(Database database) {
        this.dsl = database.dsl();
        this.commits = new GroupCommit(dsl, database.dialect() == org.jooq.SQLDialect.H2,
                (tx, p) -> insert(tx, p.doc, p.rawJson, p.source, p.sha));
    }

    /**
     * Stores a validated document: on H2 in a group commit with the documents that arrive meanwhile ({@link GroupCommit}).
     *
     * @param rawJson the document's text as received; {@code GET …/document} answers with it
     * @throws ConflictException when another document already has this id
     */
    public Stored insert(RunDocument doc, String rawJson, Source source) {
        return commits.one(new GroupCommit.Pending(doc, rawJson, source, Rows.canonicalSha256(doc)));
    }

    /**
     * Stores validated documents, as many per transaction as {@link GroupCommit#MAX_GROUP}: the bulk import's path. The
     * outcome of each, in order: its {@link Stored}, or the exception that refused it.
     */
    public List<Object> insertAll(List<RunDocument> docs, List<String> rawJson, Source source) {
        var all = new ArrayList<GroupCommit.Pending>();
        for (int i = 0; i < docs.size(); i++) all.add(new GroupCommit.Pending(docs.get(i), rawJson.get(i), source, Rows.canonicalSha256(docs.get(i))));
        return commits.all(all);
    }

    private Stored insert(DSLContext tx, RunDocument doc, String rawJson, Source source, String sha) {
        var existing = tx.select(RUN.ID, RUN.DOCUMENT_SHA256).from(RUN).where(RUN.DOCUMENT_ID.eq(doc.id())).fetchOne();
        if (existing != null) {
            if (sha.equals(existing.value2())) return new Stored(existing.value1(), false);
            throw new ConflictException("a different document with id " + doc.id() + " is already stored");
        }
        long machineId = Rows.machineId(tx, doc.machine());
        String commonSources = CellRows.commonMetricSources(doc.results());
        long runId = tx.insertInto(RUN)
                .set(RUN.DOCUMENT_ID, doc.id())
                .set(RUN.MACHINE_ID, machineId)
                .set(RUN.RUNTIME, doc.runtime())
                .set(RUN.JDK_FEATURE, doc.runtimeFeature())
                .set(RUN.JDK_VERSION, doc.runtimeVersion())
                .set(RUN.JDK_VENDOR, doc.runtimeVendor())
                .set(RUN.SUITE, doc.suite())
                .set(RUN.SOURCE, source.id())
                .set(RUN.STATUS, RunStatus.DONE.id())
                .set(RUN.STARTED_AT, Rows.time(doc.startedAt()))
                .set(RUN.FINISHED_AT, Rows.time(doc.finishedAt()))
                .set(RUN.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .set(RUN.DOCUMENT_SHA256, sha)
                .set(RUN.METRIC_SOURCES_JSON, commonSources)
                .set(RUN.CELLS_TOTAL, doc.results().size())
                .returning(RUN.ID).fetchOne().getId();
        tx.insertInto(RUN_DOCUMENT).set(RUN_DOCUMENT.RUN_ID, runId).set(RUN_DOCUMENT.DOCUMENT_JSON, rawJson).execute();
        Rows.countRun(tx, machineId, doc.runtime(), doc.runtimeFeature(), 1);
        CellRows.insertCells(tx, runId, PositionedCell.all(doc.results()), commonSources, false);
        return new Stored(runId, true);
    }

    /** A cell at its position in its run. */
    public record PositionedCell(int position, CellResult result) {
        static List<PositionedCell> all(List<CellResult> results) {
            var cells = new ArrayList<PositionedCell>(results.size());
            for (int i = 0; i < results.size(); i++) cells.add(new PositionedCell(i, results.get(i)));
            return cells;
        }
    }

    /** A run's cells as stored in columns, by position: what a run without a document (queued, running, stopped) shows. */
    public List<PositionedCell> cells(long runId) {
        return CellRows.cells(dsl, runId);
    }

    /**
     * One cell's statistics as stored with it (V10): the median, interval and sample count of its wall times (ns) or,
     * for an imported JMH benchmark, of its scores in {@code unit} — and (V15) how many of its forks were disturbed and the
     * machine's median capacity beside them, as a share of its CPUs (null in cells stored before).
     */
    public record CellStat(long runId, String workload, String model, String paramsJson, double median, Double ciLow, Double ciHigh,
                           int samples, String unit, boolean higherIsBetter, Integer disturbedForks, Double capacity,
                           String modelParamsJson, Long idealNanos) {
    }

    /** The measured cells of these runs (of one workload × model, or all: nulls), from the stored statistics: one query. */
    public List<CellStat> cellStats(java.util.Collection<Long> runIds, String workload, String model) {
        return CellRows.cellStats(dsl, runIds, workload, model);
    }

    /** Gives the measured cells stored before V10 their statistics, from their sample rows; how many (once per database). */
    public int backfillSummaries() {
        return CellRows.backfillSummaries(dsl);
    }

    /**
     * One row of a run listing.
     *
     * @param cells      cells stored so far
     * @param cellsTotal cells the run has (a queued or running run has fewer stored)
     * @param error      why a run of the queue did not finish, or null
     */
    public record RunRow(long id, String documentId, long machineId, String machineLabel, int jdkFeature, String jdkVersion,
                         String jdkVendor, String suite, String source, RunStatus status, OffsetDateTime startedAt,
                         OffsetDateTime finishedAt, OffsetDateTime createdAt, int cells, int cellsTotal, String error, String runtime) {

        /** "JDK 25", or "CPython 3.11.2" for a Python run. */
        public String runtimeLabel() {
            return label(runtime, jdkFeature, jdkVersion, jdkVendor);
        }
    }

    /** "JDK 25" for a JVM run, "CPython 3.11.2" for a Python one (feature 0, the version and implementation as text). */
    public static String label(String runtime, int feature, String version, String vendor) {
        if (dev.conlab.bench.Vocabulary.PYTHON.equals(runtime)) return (vendor == null ? "Python" : vendor) + " " + version;
        return "JDK " + feature;
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
        // a listing of all runs, or of one machine's or one JDK's, is counted from the runs counted as they are stored (V11):
        // under concurrent uploads H2 counted a table by walking every open transaction's changes (a quarter of a loaded
        // server's CPU went to counts)
        boolean countable = filter.suite() == null && filter.source() == null && filter.since() == null && filter.model() == null
                && filter.workload() == null;
        int total = countable ? countRuns(filter.machineId(), filter.jdkFeature()) : dsl.fetchCount(RUN, where);
        // The page's ids first (the index on created_at), then their rows: H2 counted every matching run's
        // cells before it sorted and cut the page when it was one query.
        // one machine's: the index on (machine_id, created_at) in its order (V12)
        List<org.jooq.SortField<?>> order = filter.machineId() != null ? List.of(RUN.MACHINE_ID.desc(), RUN.CREATED_AT.desc(), RUN.ID.desc())
                : List.of(RUN.CREATED_AT.desc(), RUN.ID.desc());
        List<Long> ids = dsl.select(RUN.ID).from(RUN).where(where).orderBy(order)
                .offset(offset).limit(limit).fetch(RUN.ID);
        Map<Long, RunRow> byId = new HashMap<>();
        if (!ids.isEmpty()) selectRows().where(RUN.ID.in(ids)).fetch(RunStore::row).forEach(r -> byId.put(r.id(), r));
        List<RunRow> rows = ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
        return new Page(rows, total, offset, limit);
    }

    /** Changes whenever a run is finished, stored or deleted: what derived views of all runs are cached under. */
    public String finishedVersion() {
        // three small reads, whatever the number of runs (the runs counted per machine as they are stored and deleted; a
        // deletion lowers it, a store raises the newest id, a run that ends the newest end)
        return countRuns(null, null) + ":" + dsl.select(DSL.max(RUN.ID)).from(RUN).fetchOne(0, Long.class) + ":"
                + dsl.select(DSL.max(RUN.FINISHED_AT)).from(RUN).fetchOne(0, OffsetDateTime.class);
    }

    /** The distinct cells (workload, model) of a machine's latest finished runs, sorted. */
    public List<String[]> cellsOf(long machineId) {
        // of its latest 50 finished runs: what it measures now, read from an index range however many runs it has
        List<Long> latest = dsl.select(RUN.ID).from(RUN).where(RUN.MACHINE_ID.eq(machineId)).and(RUN.STATUS.eq(RunStatus.DONE.id()))
                .orderBy(BY_MACHINE_NEWEST).limit(50).fetch(RUN.ID);
        if (latest.isEmpty()) return List.of();
        return dsl.selectDistinct(CELL.WORKLOAD, CELL.MODEL).from(CELL).where(CELL.RUN_ID.in(latest))
                .orderBy(CELL.WORKLOAD, CELL.MODEL).fetch(r -> new String[] {r.value1(), r.value2()});
    }

    public Optional<RunRow> row(long runId) {
        return selectRows().where(RUN.ID.eq(runId)).fetchOptional(RunStore::row);
    }

    private org.jooq.SelectOnConditionStep<? extends org.jooq.Record> selectRows() {
        // a done run has all its cells: counted only for the runs of the queue, whose cells are still arriving
        var cells = DSL.when(RUN.STATUS.eq(RunStatus.DONE.id()).and(RUN.CELLS_TOTAL.isNotNull()), RUN.CELLS_TOTAL)
                .otherwise(DSL.field(DSL.selectCount().from(CELL).where(CELL.RUN_ID.eq(RUN.ID)))).as("cells");
        return dsl.select(RUN.ID, RUN.DOCUMENT_ID, RUN.MACHINE_ID, MACHINE.LABEL, RUN.JDK_FEATURE, RUN.JDK_VERSION,
                        RUN.JDK_VENDOR, RUN.SUITE, RUN.SOURCE, RUN.STATUS, RUN.STARTED_AT, RUN.FINISHED_AT, RUN.CREATED_AT,
                        cells, RUN.CELLS_TOTAL, RUN.ERROR, RUN.RUNTIME)
                .from(RUN).join(MACHINE).on(MACHINE.ID.eq(RUN.MACHINE_ID));
    }

    private static RunRow row(org.jooq.Record r) {
        int cells = r.get("cells", Integer.class);
        Integer total = r.get(RUN.CELLS_TOTAL);
        return new RunRow(r.get(RUN.ID), r.get(RUN.DOCUMENT_ID), r.get(RUN.MACHINE_ID), r.get(MACHINE.LABEL),
                r.get(RUN.JDK_FEATURE), r.get(RUN.JDK_VERSION), r.get(RUN.JDK_VENDOR), r.get(RUN.SUITE), r.get(RUN.SOURCE),
                RunStatus.of(r.get(RUN.STATUS)), r.get(RUN.STARTED_AT), r.get(RUN.FINISHED_AT), r.get(RUN.CREATED_AT), cells,
                total == null ? cells : total, r.get(RUN.ERROR), r.get(RUN.RUNTIME));
    }

    /** The JDK features a machine has JVM runs on (of any status), ascending: from the runs counted per machine (V11). */
    public List<Integer> jdkFeaturesOf(long machineId) {
        return dsl.select(MACHINE_RUNTIME.JDK_FEATURE).from(MACHINE_RUNTIME).where(MACHINE_RUNTIME.MACHINE_ID.eq(machineId))
                .and(MACHINE_RUNTIME.RUNTIME.eq(dev.conlab.bench.Vocabulary.JVM)).and(MACHINE_RUNTIME.RUNS.gt(0L))
                .orderBy(MACHINE_RUNTIME.JDK_FEATURE).fetch(MACHINE_RUNTIME.JDK_FEATURE);
    }

    /**
     * A machine's newest finished JVM run (by when it was measured) on each JDK feature it has runs on, of {@code suite}, or of
     * any suite but {@code exceptSuite} when {@code suite} is null; by feature, ascending. Found among its latest 100 finished
     * runs (an index range) and only for a JDK not among them by a query of its own: with the JDK and suite in its
     * condition H2 read and sorted all of a machine's runs instead (127 ms for 730 runs not yet in its cache).
     */
    public java.util.SortedMap<Integer, RunRow> newestDonePerJdk(long machineId, String suite, String exceptSuite) {
        var newest = new java.util.TreeMap<Integer, RunRow>();
        for (RunRow r : finishedRuns(machineId, 100)) {
            boolean wanted = dev.conlab.bench.Vocabulary.JVM.equals(r.runtime())
                    && (suite != null ? suite.equals(r.suite()) : !r.suite().equals(exceptSuite));
            if (wanted) newest.putIfAbsent(r.jdkFeature(), r);
        }
        for (int feature : jdkFeaturesOf(machineId)) {
            if (!newest.containsKey(feature)) newestDone(machineId, feature, suite, exceptSuite).ifPresent(r -> newest.put(feature, r));
        }
        return newest;
    }

    /**
     * A machine's newest finished JVM run (by when it was measured) on a JDK feature, of {@code suite}, or of any suite but
     * {@code exceptSuite} when {@code suite} is null.
     */
    public Optional<RunRow> newestDone(long machineId, int feature, String suite, String exceptSuite) {
        Condition where = RUN.MACHINE_ID.eq(machineId).and(RUN.STATUS.eq(RunStatus.DONE.id())).and(RUN.JDK_FEATURE.eq(feature))
                .and(RUN.RUNTIME.eq(dev.conlab.bench.Vocabulary.JVM));
        if (suite != null) where = where.and(RUN.SUITE.eq(suite));
        else if (exceptSuite != null) where = where.and(RUN.SUITE.ne(exceptSuite));
        return selectRows().where(where).orderBy(BY_MACHINE_NEWEST).limit(1).fetchOptional(RunStore::row);
    }

    /**
     * A machine's finished runs newest first, in the order of the index on (machine, status, started_at): with the equal
     * columns named, H2 reads the range in index order and stops at the limit; ordered by started_at alone it read every
     * run of the machine and sorted them (730 runs: most of a history's first read and of each page's cache check).
     */
    private static final List<org.jooq.SortField<?>> BY_MACHINE_NEWEST = List.of(RUN.MACHINE_ID.desc(), RUN.STATUS.desc(),
            RUN.STARTED_AT.desc(), RUN.ID.desc());

    /** A machine's latest finished runs, newest first: one index range, whatever the number of runs. */
    public List<RunRow> finishedRuns(long machineId, int limit) {
        return selectRows().where(RUN.MACHINE_ID.eq(machineId)).and(RUN.STATUS.eq(RunStatus.DONE.id()))
                .orderBy(BY_MACHINE_NEWEST).limit(limit).fetch(RunStore::row);
    }

    /** The document as it was received, or empty. */
    public Optional<String> documentJson(long runId) {
        return dsl.select(RUN_DOCUMENT.DOCUMENT_JSON).from(RUN_DOCUMENT).where(RUN_DOCUMENT.RUN_ID.eq(runId))
                .fetchOptional(RUN_DOCUMENT.DOCUMENT_JSON);
    }

    /**
     * A stored machine's facts, as its newest result document recorded them (under its current label), or from its row
     * when no document has it yet (a registered agent): what an import of a file that records no machine (JMH's) names.
     */
    public Optional<MachineInfo> machineFacts(long machineId) {
        var m = dsl.select(MACHINE.FINGERPRINT, MACHINE.LABEL, MACHINE.HOSTNAME, MACHINE.CPU_MODEL, MACHINE.LOGICAL_CPUS, MACHINE.MEMORY_BYTES)
                .from(MACHINE).where(MACHINE.ID.eq(machineId)).fetchOne();
        if (m == null) return Optional.empty();
        String json = dsl.select(RUN_DOCUMENT.DOCUMENT_JSON).from(RUN_DOCUMENT).join(RUN).on(RUN.ID.eq(RUN_DOCUMENT.RUN_ID))
                .where(RUN.MACHINE_ID.eq(machineId)).orderBy(RUN.ID.desc()).limit(1).fetchOne(RUN_DOCUMENT.DOCUMENT_JSON);
        if (json != null) {
            try {
                MachineInfo f = Json.MAPPER.treeToValue(Json.MAPPER.readTree(json).get("machine"), MachineInfo.class);
                if (f != null && m.value1().equals(f.fingerprint())) {
                    return Optional.of(new MachineInfo(f.fingerprint(), m.value2(), f.hostname(), f.os(), f.cpu(), f.memoryBytes(), f.container()));
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // fall back to the row
            }
        }
        return Optional.of(new MachineInfo(m.value1(), m.value2(), m.value3(), null,
                new MachineInfo.Cpu(m.value4(), null, m.value5(), null, null), m.value6(), null));
    }

    public Optional<Long> idOfDocument(String documentId) {
        return dsl.select(RUN.ID).from(RUN).where(RUN.DOCUMENT_ID.eq(documentId)).fetchOptional(RUN.ID);
    }

    /** Runs stored, of every status. */
    public int count() {
        return countRuns(null, null);
    }

    /** Runs of a machine, of a JDK feature (0: Python), or all (nulls): the sum of the counts kept per machine (V11). */
    private int countRuns(Long machineId, Integer feature) {
        Condition where = DSL.noCondition();
        if (machineId != null) where = where.and(MACHINE_RUNTIME.MACHINE_ID.eq(machineId));
        if (feature != null) where = where.and(MACHINE_RUNTIME.JDK_FEATURE.eq(feature));
        Long sum = dsl.select(DSL.sum(MACHINE_RUNTIME.RUNS).cast(Long.class)).from(MACHINE_RUNTIME).where(where).fetchOne(0, Long.class);
        return sum == null ? 0 : Math.toIntExact(sum);
    }

    /** Deletes a run with its cells and samples; false if there was none. */
    public boolean delete(long runId) {
        return dsl.transactionResult(c -> {
            DSLContext tx = DSL.using(c);
            var run = tx.select(RUN.MACHINE_ID, RUN.RUNTIME, RUN.JDK_FEATURE).from(RUN).where(RUN.ID.eq(runId)).fetchOne();
            if (run == null || tx.deleteFrom(RUN).where(RUN.ID.eq(runId)).execute() != 1) return false;
            Rows.countRun(tx, run.value1(), run.value2(), run.value3(), -1);
            return true;
        });
    }

}
