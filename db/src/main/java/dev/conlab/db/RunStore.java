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
    /**
     * H2 (embedded, MVStore) takes one document at a time: concurrent writers of the same tables retry their
     * page updates against each other, and 8 concurrent uploads took twice the CPU of 8 in turn. PostgreSQL
     * takes them concurrently. Null when writes need no lock.
     */
    private final ReentrantLock writeLock;

    public RunStore(Database database) {
        this.dsl = database.dsl();
        this.writeLock = database.dialect() == org.jooq.SQLDialect.H2 ? new ReentrantLock() : null;
    }

    /**
     * Stores a validated document.
     *
     * <p>On H2 concurrent documents are committed together: a document that arrives while another's transaction runs
     * waits for it, and the next writer takes every waiting document into one transaction (a group commit: H2 writes
     * the pages of a commit at each commit, which cost most of an upload). Each caller is answered only after the
     * commit that holds its document; a group that fails is stored again one document per transaction, so one bad
     * document never fails another.
     *
     * @param rawJson the document's text as received; {@code GET …/document} answers with it
     * @throws ConflictException when another document already has this id
     */
    public Stored insert(RunDocument doc, String rawJson, Source source) {
        String sha = canonicalSha256(doc);
        if (writeLock == null) return insertOne(new Pending(doc, rawJson, source, sha));
        var mine = new Pending(doc, rawJson, source, sha);
        waiting.add(mine);
        writeLock.lock();
        try {
            // the waiting documents in groups, in the order they came, until mine is among those committed
            while (!mine.outcome.isDone()) {
                var group = new ArrayList<Pending>();
                for (Pending p; group.size() < MAX_GROUP && (p = waiting.poll()) != null; ) group.add(p);
                commit(group);
            }
        } finally {
            writeLock.unlock();
        }
        return mine.result();
    }

    /**
     * Stores validated documents, as many per transaction as {@link #MAX_GROUP}: the bulk import's path. The outcome of
     * each, in order: its {@link Stored}, or the exception that refused it.
     */
    public List<Object> insertAll(List<RunDocument> docs, List<String> rawJson, Source source) {
        var all = new ArrayList<Pending>();
        for (int i = 0; i < docs.size(); i++) all.add(new Pending(docs.get(i), rawJson.get(i), source, canonicalSha256(docs.get(i))));
        if (writeLock != null) writeLock.lock();
        try {
            for (int from = 0; from < all.size(); from += MAX_GROUP) commit(all.subList(from, Math.min(all.size(), from + MAX_GROUP)));
        } finally {
            if (writeLock != null) writeLock.unlock();
        }
        var outcomes = new ArrayList<Object>();
        for (Pending p : all) {
            try {
                outcomes.add(p.result());
            } catch (RuntimeException e) {
                outcomes.add(e);
            }
        }
        return outcomes;
    }

    /** How many documents one group commit takes at most. */
    static final int MAX_GROUP = 64;

    private final java.util.concurrent.ConcurrentLinkedQueue<Pending> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A document waiting for its commit, and what became of it. */
    private static final class Pending {
        final RunDocument doc;
        final String rawJson;
        final Source source;
        final String sha;
        final java.util.concurrent.CompletableFuture<Stored> outcome = new java.util.concurrent.CompletableFuture<>();

        Pending(RunDocument doc, String rawJson, Source source, String sha) {
            this.doc = doc;
            this.rawJson = rawJson;
            this.source = source;
            this.sha = sha;
        }

        Stored result() {
            try {
                return outcome.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw e;
            }
        }
    }

    /** One transaction for the group; if it fails, one per document, so that each gets its own outcome. */
    private void commit(List<Pending> group) {
        if (group.size() > 1) {
            try {
                List<Stored> stored = dsl.transactionResult(configuration -> {
                    DSLContext tx = DSL.using(configuration);
                    var list = new ArrayList<Stored>();
                    for (Pending p : group) list.add(insert(tx, p.doc, p.rawJson, p.source, p.sha));
                    return list;
                });
                for (int i = 0; i < group.size(); i++) group.get(i).outcome.complete(stored.get(i));
                return;
            } catch (RuntimeException e) {
                // a conflict or a race in one document: each on its own below
            }
        }
        for (Pending p : group) {
            try {
                p.outcome.complete(insertOne(p));
            } catch (RuntimeException | Error e) {
                p.outcome.completeExceptionally(e);
            }
        }
    }

    private Stored insertOne(Pending p) {
        for (int attempt = 1; ; attempt++) {
            try {
                return dsl.transactionResult(configuration -> insert(DSL.using(configuration), p.doc, p.rawJson, p.source, p.sha));
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
        String commonSources = commonMetricSources(doc.results());
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
                .set(RUN.STARTED_AT, time(doc.startedAt()))
                .set(RUN.FINISHED_AT, time(doc.finishedAt()))
                .set(RUN.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .set(RUN.DOCUMENT_SHA256, sha)
                .set(RUN.METRIC_SOURCES_JSON, commonSources)
                .set(RUN.CELLS_TOTAL, doc.results().size())
                .returning(RUN.ID).fetchOne().getId();
        tx.insertInto(RUN_DOCUMENT).set(RUN_DOCUMENT.RUN_ID, runId).set(RUN_DOCUMENT.DOCUMENT_JSON, rawJson).execute();
        countRun(tx, machineId, doc.runtime(), doc.runtimeFeature(), 1);
        insertCells(tx, runId, PositionedCell.all(doc.results()), commonSources, false);
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

    /** The metric sources most cells of a run have, as JSON: the run keeps them once (see V2__…sql). */
    static String commonMetricSources(List<CellResult> cells) {
        Map<String, Integer> counts = new HashMap<>();
        String best = null;
        int bestCount = 0;
        for (CellResult cell : cells) {
            String sources = json(cell.metricSources());
            int count = counts.merge(sources, 1, Integer::sum);
            if (count > bestCount) {
                best = sources;
                bestCount = count;
            }
        }
        return best;
    }

    /**
     * Inserts cells, each with its statistics and, with {@code withSamples}, its samples as rows. A run stored with its
     * document keeps its samples in the document only: every page, export and comparison of a done run reads the
     * document, and the cell's median, interval and sample count are in the cell row; the sample rows (330 for a smoke
     * document, written and never read: FINDINGS §16) are what a run without a document — queued, running, stopped —
     * shows its finished cells from. They go in as two JDBC batches of one prepared statement each: binding a few
     * thousand values through jOOQ's query objects cost more than H2 took to store them.
     */
    static void insertCells(DSLContext tx, long runId, List<PositionedCell> cells, String commonSources, boolean withSamples) {
        tx.connection(connection -> insertCells(connection, runId, cells, commonSources, withSamples));
    }

    private static final String INSERT_CELL = "insert into cell (run_id, position, workload, model, params_json, "
            + "model_params_json, status, concurrency, ideal_nanos, ideal_formula, one_thread_nanos, warmup_json, "
            + "metric_sources_json, error, median, ci_low, ci_high, samples_n, unit, higher_is_better) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT_CELL_IDS = "select position, id from cell where run_id = ?";
    private static final String INSERT_SAMPLE = "insert into sample (cell_id, iteration, wall_nanos, cpu_nanos, alloc_bytes, "
            + "gc_count, gc_nanos, peak_threads, ctx_voluntary, ctx_involuntary, fork, rss_before_bytes, peak_rss_bytes, heap_after_bytes, "
            + "latency_p50_nanos, latency_p99_nanos, latency_max_nanos, pinned_count, pinned_nanos, score) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static void insertCells(Connection connection, long runId, List<PositionedCell> positioned, String commonSources,
                                    boolean withSamples) throws SQLException {
        try (PreparedStatement cells = connection.prepareStatement(INSERT_CELL)) {
            for (PositionedCell p : positioned) {
                CellResult cell = p.result();
                cells.setLong(1, runId);
                cells.setInt(2, p.position());
                cells.setString(3, cell.workload());
                cells.setString(4, cell.model());
                cells.setString(5, json(cell.params()));
                cells.setString(6, json(cell.modelParams()));
                cells.setString(7, cell.status().id());
                setInt(cells, 8, cell.concurrency());
                setLong(cells, 9, cell.idealNanos());
                cells.setString(10, cell.idealFormula());
                setLong(cells, 11, cell.oneThreadNanos());
                cells.setString(12, json(cell.warmupWallNanos()));
                String sources = json(cell.metricSources());
                cells.setString(13, sources.equals(commonSources) ? null : sources);
                cells.setString(14, cell.error());
                // the cell's statistics, once: a history reads these instead of the run's document
                var summary = cell.samples().isEmpty() ? null : dev.conlab.bench.stats.CellSummary.wall(cell);
                setDouble(cells, 15, summary == null ? null : summary.median());
                setDouble(cells, 16, summary == null ? null : summary.ciLow());
                setDouble(cells, 17, summary == null ? null : summary.ciHigh());
                setInt(cells, 18, summary == null ? null : summary.n());
                cells.setString(19, cell.jmh() == null ? null : cell.jmh().unit());
                cells.setBoolean(20, cell.higherIsBetter());
                cells.addBatch();
            }
            cells.executeBatch();
        }
        if (!withSamples) return;
        Map<Integer, Long> cellIds = new HashMap<>();
        try (PreparedStatement ids = connection.prepareStatement(SELECT_CELL_IDS)) {
            ids.setLong(1, runId);
            try (ResultSet rs = ids.executeQuery()) {
                while (rs.next()) cellIds.put(rs.getInt(1), rs.getLong(2));
            }
        }
        try (PreparedStatement samples = connection.prepareStatement(INSERT_SAMPLE)) {
            int rows = 0;
            for (PositionedCell p : positioned) {
                int iteration = 0;
                long cellId = cellIds.get(p.position());
                for (Sample s : p.result().samples()) {
                    samples.setLong(1, cellId);
                    samples.setInt(2, iteration++);
                    samples.setLong(3, s.wallNanos());
                    setLong(samples, 4, s.cpuNanos());
                    setLong(samples, 5, s.allocBytes());
                    setLong(samples, 6, s.gcCount());
                    setLong(samples, 7, s.gcNanos());
                    setLong(samples, 8, s.peakThreads());
                    setLong(samples, 9, s.ctxSwitchesVoluntary());
                    setLong(samples, 10, s.ctxSwitchesInvoluntary());
                    setInt(samples, 11, s.fork());
                    setLong(samples, 12, s.rssBeforeBytes());
                    setLong(samples, 13, s.peakRssBytes());
                    setLong(samples, 14, s.heapAfterBytes());
                    setLong(samples, 15, s.latencyP50Nanos());
                    setLong(samples, 16, s.latencyP99Nanos());
                    setLong(samples, 17, s.latencyMaxNanos());
                    setLong(samples, 18, s.pinnedCount());
                    setLong(samples, 19, s.pinnedNanos());
                    if (s.score() == null) samples.setNull(20, Types.DOUBLE); else samples.setDouble(20, s.score());
                    samples.addBatch();
                    rows++;
                }
            }
            if (rows > 0) samples.executeBatch();
        }
    }

    /** A run's cells as stored in columns, by position: what a run without a document (queued, running, stopped) shows. */
    public List<PositionedCell> cells(long runId) {
        String common = dsl.select(RUN.METRIC_SOURCES_JSON).from(RUN).where(RUN.ID.eq(runId)).fetchOne(RUN.METRIC_SOURCES_JSON);
        var cellRows = dsl.selectFrom(CELL).where(CELL.RUN_ID.eq(runId)).orderBy(CELL.POSITION).fetch();
        Map<Long, List<Sample>> samples = new HashMap<>();
        dsl.select(SAMPLE.CELL_ID, SAMPLE.WALL_NANOS, SAMPLE.CPU_NANOS, SAMPLE.ALLOC_BYTES, SAMPLE.GC_COUNT, SAMPLE.GC_NANOS,
                        SAMPLE.PEAK_THREADS, SAMPLE.CTX_VOLUNTARY, SAMPLE.CTX_INVOLUNTARY, SAMPLE.FORK, SAMPLE.RSS_BEFORE_BYTES,
                        SAMPLE.PEAK_RSS_BYTES, SAMPLE.HEAP_AFTER_BYTES, SAMPLE.LATENCY_P50_NANOS, SAMPLE.LATENCY_P99_NANOS,
                        SAMPLE.LATENCY_MAX_NANOS, SAMPLE.PINNED_COUNT, SAMPLE.PINNED_NANOS, SAMPLE.SCORE)
                .from(SAMPLE).join(CELL).on(CELL.ID.eq(SAMPLE.CELL_ID)).where(CELL.RUN_ID.eq(runId))
                .orderBy(SAMPLE.CELL_ID, SAMPLE.ITERATION)
                .forEach(r -> samples.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(new Sample(r.value2(), r.value3(),
                        r.value4(), r.value5(), r.value6(), r.value7(), r.value8(), r.value9(), r.value10(), r.value11(), r.value12(),
                        r.value13(), r.value14(), r.value15(), r.value16(), r.value17(), r.value18(), r.value19())));
        var cells = new ArrayList<PositionedCell>();
        for (var c : cellRows) {
            String sources = c.getMetricSourcesJson() != null ? c.getMetricSourcesJson() : common;
            cells.add(new PositionedCell(c.getPosition(), new CellResult(c.getWorkload(), c.getModel(),
                    read(c.getParamsJson(), OBJECT_MAP), read(c.getModelParamsJson(), OBJECT_MAP), CellStatus.of(c.getStatus()),
                    c.getConcurrency(), c.getIdealNanos(), c.getIdealFormula(), c.getOneThreadNanos(),
                    read(c.getWarmupJson(), LONG_LIST), samples.getOrDefault(c.getId(), List.of()),
                    sources == null ? Map.of() : read(sources, STRING_MAP), c.getError())));
        }
        return cells;
    }

    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<List<Long>> LONG_LIST = new TypeReference<>() { };

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in a cell column: " + e.getOriginalMessage(), e);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Number value) throws SQLException {
        if (value == null) statement.setNull(index, Types.BIGINT);
        else statement.setLong(index, value.longValue());
    }

    private static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null || !Double.isFinite(value)) statement.setNull(index, Types.DOUBLE);
        else statement.setDouble(index, value);
    }

    /**
     * One cell's statistics as stored with it (V10): the median, interval and sample count of its wall times (ns) or,
     * for an imported JMH benchmark, of its scores in {@code unit}.
     */
    public record CellStat(long runId, String workload, String model, String paramsJson, double median, Double ciLow, Double ciHigh,
                           int samples, String unit, boolean higherIsBetter) {
    }

    /** The measured cells of these runs (of one workload × model, or all: nulls), from the stored statistics: one query. */
    public List<CellStat> cellStats(java.util.Collection<Long> runIds, String workload, String model) {
        if (runIds.isEmpty()) return List.of();
        Condition where = CELL.RUN_ID.in(runIds).and(CELL.STATUS.eq(CellStatus.OK.id())).and(CELL.MEDIAN.isNotNull());
        if (workload != null) where = where.and(CELL.WORKLOAD.eq(workload));
        if (model != null) where = where.and(CELL.MODEL.eq(model));
        return dsl.select(CELL.RUN_ID, CELL.WORKLOAD, CELL.MODEL, CELL.PARAMS_JSON, CELL.MEDIAN, CELL.CI_LOW, CELL.CI_HIGH, CELL.SAMPLES_N,
                        CELL.UNIT, CELL.HIGHER_IS_BETTER)
                .from(CELL).where(where).orderBy(CELL.RUN_ID, CELL.POSITION)
                .fetch(r -> new CellStat(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7(),
                        r.value8() == null ? 0 : r.value8(), r.value9(), Boolean.TRUE.equals(r.value10())));
    }

    /**
     * Gives the measured cells stored before V10 their statistics, from their sample rows (JMH cells came with V9 and
     * V10 together, so every such cell is a lab cell in ns); how many. Runs once per database, in groups of 500 cells.
     */
    private static final String CELL_SUMMARIES_TASK = "cell-summaries";

    public int backfillSummaries() {
        // cells stored since V10 get theirs as they are stored: once none is left, a row of lab_task (V12) says so
        if (dsl.fetchExists(LAB_TASK, LAB_TASK.NAME.eq(CELL_SUMMARIES_TASK))) return 0;
        int done = 0;
        while (true) {
            List<Long> ids = dsl.select(CELL.ID).from(CELL).where(CELL.MEDIAN.isNull()).and(CELL.STATUS.eq(CellStatus.OK.id()))
                    .and(CELL.SAMPLES_N.isNull()).orderBy(CELL.ID).limit(500).fetch(CELL.ID);
            if (ids.isEmpty()) {
                dsl.insertInto(LAB_TASK).set(LAB_TASK.NAME, CELL_SUMMARIES_TASK).set(LAB_TASK.DONE_AT, OffsetDateTime.now(ZoneOffset.UTC))
                        .onDuplicateKeyIgnore().execute();
                return done;
            }
            Map<Long, List<double[]>> samples = new HashMap<>();
            dsl.select(SAMPLE.CELL_ID, SAMPLE.WALL_NANOS, SAMPLE.SCORE, SAMPLE.FORK).from(SAMPLE).where(SAMPLE.CELL_ID.in(ids))
                    .orderBy(SAMPLE.CELL_ID, SAMPLE.ITERATION)
                    .forEach(r -> samples.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(new double[] {
                            r.value3() != null ? r.value3() : r.value2(), r.value4() == null ? Double.NaN : r.value4()}));
            dsl.transaction(c -> {
                DSLContext tx = DSL.using(c);
                for (long id : ids) {
                    List<double[]> list = samples.getOrDefault(id, List.of());
                    if (list.isEmpty()) {
                        tx.update(CELL).set(CELL.SAMPLES_N, 0).where(CELL.ID.eq(id)).execute();
                        continue;
                    }
                    double[] values = list.stream().mapToDouble(v -> v[0]).toArray();
                    Integer[] forks = list.stream().map(v -> Double.isNaN(v[1]) ? null : (int) v[1]).toArray(Integer[]::new);
                    var summary = dev.conlab.bench.stats.Stats.summarize(values, forks);
                    tx.update(CELL).set(CELL.MEDIAN, summary.median()).set(CELL.CI_LOW, summary.ciLow()).set(CELL.CI_HIGH, summary.ciHigh())
                            .set(CELL.SAMPLES_N, summary.n()).set(CELL.HIGHER_IS_BETTER, false).where(CELL.ID.eq(id)).execute();
                }
            });
            done += ids.size();
        }
    }

    private static void setInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) statement.setNull(index, Types.INTEGER);
        else statement.setInt(index, value);
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

    /**
     * Runs {@code update} on a run whose machine or runtime version it may change (a queued run once its worker says
     * which machine and JVM it got), and moves the run between the per-machine counts if it did.
     */
    static void recounted(DSLContext tx, long runId, Runnable update) {
        var before = tx.select(RUN.MACHINE_ID, RUN.RUNTIME, RUN.JDK_FEATURE).from(RUN).where(RUN.ID.eq(runId)).fetchOne();
        update.run();
        if (before == null) return;
        var after = tx.select(RUN.MACHINE_ID, RUN.RUNTIME, RUN.JDK_FEATURE).from(RUN).where(RUN.ID.eq(runId)).fetchOne();
        if (after == null || after.equals(before)) return;
        countRun(tx, before.value1(), before.value2(), before.value3(), -1);
        countRun(tx, after.value1(), after.value2(), after.value3(), 1);
    }

    /** Deletes a run with its cells and samples; false if there was none. */
    public boolean delete(long runId) {
        return dsl.transactionResult(c -> {
            DSLContext tx = DSL.using(c);
            var run = tx.select(RUN.MACHINE_ID, RUN.RUNTIME, RUN.JDK_FEATURE).from(RUN).where(RUN.ID.eq(runId)).fetchOne();
            if (run == null || tx.deleteFrom(RUN).where(RUN.ID.eq(runId)).execute() != 1) return false;
            countRun(tx, run.value1(), run.value2(), run.value3(), -1);
            return true;
        });
    }

    /**
     * Counts a run stored (+1) or deleted (−1) for its machine, runtime and feature version (V11's machine_runtime, which
     * the machines list reads instead of grouping every run). Two first runs at once: the second insert fails as a race
     * and its transaction is tried again.
     */
    static void countRun(DSLContext tx, long machineId, String runtime, int feature, int delta) {
        var where = MACHINE_RUNTIME.MACHINE_ID.eq(machineId).and(MACHINE_RUNTIME.RUNTIME.eq(runtime)).and(MACHINE_RUNTIME.JDK_FEATURE.eq(feature));
        int updated = tx.update(MACHINE_RUNTIME).set(MACHINE_RUNTIME.RUNS, MACHINE_RUNTIME.RUNS.plus(delta)).where(where).execute();
        if (updated == 0 && delta > 0) {
            tx.insertInto(MACHINE_RUNTIME).set(MACHINE_RUNTIME.MACHINE_ID, machineId).set(MACHINE_RUNTIME.RUNTIME, runtime)
                    .set(MACHINE_RUNTIME.JDK_FEATURE, feature).set(MACHINE_RUNTIME.RUNS, (long) delta).execute();
        } else if (delta < 0) {
            tx.deleteFrom(MACHINE_RUNTIME).where(where).and(MACHINE_RUNTIME.RUNS.le(0L)).execute();
        }
    }

    static long machineId(DSLContext tx, MachineInfo machine) {
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

    static OffsetDateTime time(String iso) {
        return iso == null ? null : OffsetDateTime.ofInstant(Instant.parse(iso), ZoneOffset.UTC);
    }

    /**
     * The SHA-256 of the document as this version of the lab reads it (its JSON in UTF-8): what idempotency compares.
     * Jackson writes the bytes straight into the digest: the same hash as of the JSON text, without the 190 KB string.
     */
    static String canonicalSha256(RunDocument doc) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            Json.MAPPER.writeValue(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    digest.update((byte) b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    digest.update(bytes, offset, length);
                }
            }, doc);
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
