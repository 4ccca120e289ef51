package dev.conlab.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.Json;
import dev.conlab.bench.Sample;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.conlab.db.jooq.Tables.CELL;
import static dev.conlab.db.jooq.Tables.LAB_TASK;
import static dev.conlab.db.jooq.Tables.RUN;
import static dev.conlab.db.jooq.Tables.SAMPLE;

/**
 * A run's cells as rows: the raw-JDBC batches that store them (each with its statistics, and for a run without a document
 * its samples and forks), reading them back, the statistics a history reads, and their one-time backfill (V10).
 */
final class CellRows {

    private CellRows() {
    }

    /** The metric sources most cells of a run have, as JSON: the run keeps them once (see V2__…sql). */
    static String commonMetricSources(List<CellResult> cells) {
        Map<String, Integer> counts = new HashMap<>();
        String best = null;
        int bestCount = 0;
        for (CellResult cell : cells) {
            String sources = Rows.json(cell.metricSources());
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
    static void insertCells(DSLContext tx, long runId, List<RunStore.PositionedCell> cells, String commonSources, boolean withSamples) {
        tx.connection(connection -> insertCells(connection, runId, cells, commonSources, withSamples));
    }

    private static final String INSERT_CELL = "insert into cell (run_id, position, workload, model, params_json, "
            + "model_params_json, status, concurrency, ideal_nanos, ideal_formula, one_thread_nanos, warmup_json, "
            + "metric_sources_json, error, median, ci_low, ci_high, samples_n, unit, higher_is_better, forks_n, disturbed_forks, capacity, "
            + "forks_json) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT_CELL_IDS = "select position, id from cell where run_id = ?";
    private static final String INSERT_SAMPLE = "insert into sample (cell_id, iteration, wall_nanos, cpu_nanos, alloc_bytes, "
            + "gc_count, gc_nanos, peak_threads, ctx_voluntary, ctx_involuntary, fork, rss_before_bytes, peak_rss_bytes, heap_after_bytes, "
            + "latency_p50_nanos, latency_p99_nanos, latency_max_nanos, pinned_count, pinned_nanos, score) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static void insertCells(Connection connection, long runId, List<RunStore.PositionedCell> positioned, String commonSources,
                                    boolean withSamples) throws SQLException {
        try (PreparedStatement cells = connection.prepareStatement(INSERT_CELL)) {
            for (RunStore.PositionedCell p : positioned) {
                CellResult cell = p.result();
                cells.setLong(1, runId);
                cells.setInt(2, p.position());
                cells.setString(3, cell.workload());
                cells.setString(4, cell.model());
                cells.setString(5, Rows.json(cell.params()));
                cells.setString(6, Rows.json(cell.modelParams()));
                cells.setString(7, cell.status().id());
                setInt(cells, 8, cell.concurrency());
                setLong(cells, 9, cell.idealNanos());
                cells.setString(10, cell.idealFormula());
                setLong(cells, 11, cell.oneThreadNanos());
                cells.setString(12, Rows.json(cell.warmupWallNanos()));
                String sources = Rows.json(cell.metricSources());
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
                // the machine beside its forks, for a history; their records only while the run has no document to hold them
                var facts = dev.conlab.bench.stats.ForkFacts.of(cell);
                setInt(cells, 21, cell.forks() == null ? null : facts.forks());
                setInt(cells, 22, cell.forks() == null ? null : facts.disturbed());
                setDouble(cells, 23, facts.capacity());
                cells.setString(24, withSamples && cell.forks() != null ? Rows.json(cell.forks()) : null);
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
            for (RunStore.PositionedCell p : positioned) {
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
    static List<RunStore.PositionedCell> cells(DSLContext dsl, long runId) {
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
        var cells = new ArrayList<RunStore.PositionedCell>();
        for (var c : cellRows) {
            String sources = c.getMetricSourcesJson() != null ? c.getMetricSourcesJson() : common;
            cells.add(new RunStore.PositionedCell(c.getPosition(), new CellResult(c.getWorkload(), c.getModel(),
                    read(c.getParamsJson(), OBJECT_MAP), read(c.getModelParamsJson(), OBJECT_MAP), CellStatus.of(c.getStatus()),
                    c.getConcurrency(), c.getIdealNanos(), c.getIdealFormula(), c.getOneThreadNanos(),
                    read(c.getWarmupJson(), LONG_LIST), samples.getOrDefault(c.getId(), List.of()),
                    sources == null ? Map.of() : read(sources, STRING_MAP), c.getError())
                    .withForks(c.getForksJson() == null ? null : read(c.getForksJson(), FORK_LIST), null)));
        }
        return cells;
    }

    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<List<Long>> LONG_LIST = new TypeReference<>() { };
    private static final TypeReference<List<dev.conlab.bench.ForkRecord>> FORK_LIST = new TypeReference<>() { };

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

    /** The measured cells of these runs (of one workload × model, or all: nulls), from the stored statistics: one query. */
    static List<RunStore.CellStat> cellStats(DSLContext dsl, java.util.Collection<Long> runIds, String workload, String model) {
        if (runIds.isEmpty()) return List.of();
        Condition where = CELL.RUN_ID.in(runIds).and(CELL.STATUS.eq(CellStatus.OK.id())).and(CELL.MEDIAN.isNotNull());
        if (workload != null) where = where.and(CELL.WORKLOAD.eq(workload));
        if (model != null) where = where.and(CELL.MODEL.eq(model));
        return dsl.select(CELL.RUN_ID, CELL.WORKLOAD, CELL.MODEL, CELL.PARAMS_JSON, CELL.MEDIAN, CELL.CI_LOW, CELL.CI_HIGH, CELL.SAMPLES_N,
                        CELL.UNIT, CELL.HIGHER_IS_BETTER, CELL.DISTURBED_FORKS, CELL.CAPACITY, CELL.MODEL_PARAMS_JSON,
                        CELL.IDEAL_NANOS)
                .from(CELL).where(where).orderBy(CELL.RUN_ID, CELL.POSITION)
                .fetch(r -> new RunStore.CellStat(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7(),
                        r.value8() == null ? 0 : r.value8(), r.value9(), Boolean.TRUE.equals(r.value10()), r.value11(), r.value12(), r.value13(), r.value14()));
    }

    /**
     * Gives the measured cells stored before V10 their statistics, from their sample rows (JMH cells came with V9 and
     * V10 together, so every such cell is a lab cell in ns); how many. Runs once per database, in groups of 500 cells.
     */
    private static final String CELL_SUMMARIES_TASK = "cell-summaries";

    static int backfillSummaries(DSLContext dsl) {
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

}
