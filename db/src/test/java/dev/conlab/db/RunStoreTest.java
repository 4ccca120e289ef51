package dev.conlab.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.TestDocuments;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.conlab.db.jooq.Tables.CELL;
import static dev.conlab.db.jooq.Tables.MACHINE;
import static dev.conlab.db.jooq.Tables.RUN;
import static dev.conlab.db.jooq.Tables.SAMPLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunStoreTest {

    static RunDocument document() {
        return TestDocuments.small();
    }

    @OnEachStore
    void a_stored_document_comes_back_equal_as_json_with_its_cells_and_their_statistics_in_columns(TestDatabases.Named db) throws Exception {
        try (Database database = db.open().get()) {
            RunStore store = new RunStore(database);
            RunDocument doc = document();
            String raw = Json.PRETTY.writeValueAsString(doc);
            RunStore.Stored stored = store.insert(doc, raw, RunStore.Source.UPLOAD);
            assertThat(stored.created()).isTrue();
            JsonNode back = Json.MAPPER.readTree(store.documentJson(stored.runId()).orElseThrow());
            assertThat(back).isEqualTo(Json.MAPPER.readTree(raw));

            var dsl = database.dsl();
            assertThat(dsl.fetchCount(CELL, CELL.RUN_ID.eq(stored.runId()))).isEqualTo(4);
            // a run stored with its document keeps its samples there; each cell row has their count and statistics
            assertThat(dsl.fetchCount(SAMPLE)).isZero();
            assertThat(dsl.select(DSL.sum(CELL.SAMPLES_N)).from(CELL).fetchOne(0, Integer.class)).isEqualTo(3 * 2);
            assertThat(dsl.fetchCount(MACHINE)).isEqualTo(1);
            assertThat(dsl.select(RUN.JDK_FEATURE).from(RUN).fetchOne(RUN.JDK_FEATURE)).isEqualTo(doc.jvm().feature());
            for (var cell : doc.results()) {
                if (cell.samples().isEmpty()) continue;
                double median = dsl.select(CELL.MEDIAN).from(CELL).where(CELL.WORKLOAD.eq(cell.workload())).and(CELL.MODEL.eq(cell.model()))
                        .fetchOne(CELL.MEDIAN);
                assertThat(median).isEqualTo(dev.conlab.bench.stats.CellSummary.wall(cell).median());
            }
        }
    }

    @OnEachStore
    void the_same_document_twice_is_stored_once_and_a_different_one_under_its_id_conflicts(TestDatabases.Named db) throws Exception {
        try (Database database = db.open().get()) {
            RunStore store = new RunStore(database);
            RunDocument doc = document();
            String raw = Json.MAPPER.writeValueAsString(doc);
            long id = store.insert(doc, raw, RunStore.Source.UPLOAD).runId();
            RunStore.Stored again = store.insert(doc, Json.PRETTY.writeValueAsString(doc), RunStore.Source.UPLOAD);
            assertThat(again).isEqualTo(new RunStore.Stored(id, false));

            RunDocument other = new RunDocument(doc.schema(), doc.id(), doc.startedAt(), doc.finishedAt(), "seed",
                    doc.machine(), doc.jvm(), doc.settings(), doc.results());
            assertThatThrownBy(() -> store.insert(other, Json.MAPPER.writeValueAsString(other), RunStore.Source.UPLOAD))
                    .isInstanceOf(ConflictException.class).hasMessageContaining(doc.id());
            assertThat(store.count()).isEqualTo(1);
        }
    }

    @org.junit.jupiter.api.Test
    void the_idempotency_hash_is_the_sha256_of_the_documents_json_in_utf8_as_stored_before() throws Exception {
        RunDocument doc = document();
        // non-ASCII text in the document: the hash streamed from Jackson's bytes equals the hash of the JSON text
        var machine = new dev.conlab.bench.MachineInfo(doc.machine().fingerprint(), "Prüfstand ⚙ 東京", doc.machine().hostname(),
                doc.machine().os(), doc.machine().cpu(), doc.machine().memoryBytes(), doc.machine().container());
        RunDocument named = new RunDocument(doc.schema(), doc.id(), doc.startedAt(), doc.finishedAt(), doc.suite(), machine, doc.jvm(),
                doc.settings(), doc.results());
        for (RunDocument d : List.of(doc, named)) {
            assertThat(Rows.canonicalSha256(d)).isEqualTo(TokenStore.sha256(Json.MAPPER.writeValueAsString(d)));
        }
    }

    @OnEachStore
    void a_document_that_fails_half_way_leaves_nothing_behind(TestDatabases.Named db) throws Exception {
        try (Database database = db.open().get()) {
            RunStore store = new RunStore(database);
            RunDocument doc = document();
            var cells = new ArrayList<>(doc.results());
            CellResult last = cells.remove(cells.size() - 1);
            // A workload id longer than its column (200), in the last cell: the run row and the first
            // cells and samples are written before the database refuses it.
            cells.add(new CellResult("w".repeat(300), last.model(), last.params(), last.modelParams(), CellStatus.FAILED,
                    null, null, null, null, List.of(), List.of(), Map.of(), "boom"));
            RunDocument broken = new RunDocument(doc.schema(), doc.id(), doc.startedAt(), doc.finishedAt(), doc.suite(),
                    doc.machine(), doc.jvm(), doc.settings(), cells);
            assertThatThrownBy(() -> store.insert(broken, "{}", RunStore.Source.UPLOAD)).isInstanceOf(RuntimeException.class);
            var dsl = database.dsl();
            assertThat(dsl.fetchCount(RUN)).isZero();
            assertThat(dsl.fetchCount(CELL)).isZero();
            assertThat(dsl.fetchCount(SAMPLE)).isZero();
            assertThat(dsl.fetchCount(MACHINE)).isZero();
        }
    }

    private static RunDocument withId(RunDocument doc, String id, String suite) {
        return new RunDocument(doc.schema(), id, doc.startedAt(), doc.finishedAt(), suite, doc.machine(), doc.jvm(), doc.settings(),
                doc.results());
    }

    @OnEachStore
    void concurrent_documents_committed_together_each_get_their_own_outcome_and_their_cells_statistics(TestDatabases.Named db)
            throws Exception {
        try (Database database = db.open().get()) {
            RunStore store = new RunStore(database);
            RunDocument doc = document();
            store.insert(withId(doc, "00000000-0000-4000-8000-000000000001", doc.suite()), "{}", RunStore.Source.UPLOAD);
            // 40 documents from 8 threads at once: one of them under a stored id with other content (a conflict), one twice
            var outcomes = new java.util.concurrent.ConcurrentHashMap<Integer, Object>();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            for (int i = 0; i < 40; i++) {
                int n = i;
                pool.submit(() -> {
                    String id = n == 7 ? "00000000-0000-4000-8000-000000000001" : String.format("00000000-0000-4000-8000-%012d", n == 9 ? 108 : 100 + n);
                    RunDocument d = withId(doc, id, n == 7 ? "seed" : doc.suite());
                    try {
                        outcomes.put(n, store.insert(d, Json.MAPPER.writeValueAsString(d), RunStore.Source.UPLOAD));
                    } catch (Exception e) {
                        outcomes.put(n, e);
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(outcomes.get(7)).isInstanceOf(ConflictException.class);
            assertThat(outcomes.values().stream().filter(o -> o instanceof RunStore.Stored s && s.created()).count()).isEqualTo(38);
            assertThat(database.dsl().fetchCount(RUN)).isEqualTo(39);
            assertThat(database.dsl().fetchCount(CELL)).isEqualTo(39 * 4);

            // the bulk path: the same outcomes, many per transaction
            var docs = new ArrayList<RunDocument>();
            for (int i = 0; i < 100; i++) docs.add(withId(doc, String.format("00000000-0000-4000-9000-%012d", i), doc.suite()));
            docs.add(withId(doc, "00000000-0000-4000-8000-000000000001", "seed"));
            var raws = docs.stream().map(d -> "{}").toList();
            List<Object> bulk = store.insertAll(docs, raws, RunStore.Source.UPLOAD);
            assertThat(bulk.subList(0, 100)).allSatisfy(o -> assertThat(((RunStore.Stored) o).created()).isTrue());
            assertThat(bulk.get(100)).isInstanceOf(ConflictException.class);
            assertThat(database.dsl().fetchCount(RUN)).isEqualTo(139);

            // each measured cell's statistics are stored with it
            long first = ((RunStore.Stored) bulk.get(0)).runId();
            var expected = doc.results().stream().filter(c -> !c.samples().isEmpty()).toList();
            assertStatistics(store.cellStats(List.of(first), null, null), expected);

            // cells stored before V10 (their statistics null, their samples in rows) get them from their sample rows on the
            // next start, once
            database.dsl().deleteFrom(CELL).where(CELL.RUN_ID.eq(first)).execute();
            CellRows.insertCells(database.dsl(), first, RunStore.PositionedCell.all(doc.results()), null, true);
            database.dsl().update(CELL).setNull(CELL.MEDIAN).setNull(CELL.CI_LOW).setNull(CELL.CI_HIGH).setNull(CELL.SAMPLES_N)
                    .where(CELL.RUN_ID.eq(first)).execute();
            assertThat(store.backfillSummaries()).isEqualTo(doc.results().stream().filter(c -> c.status() == dev.conlab.bench.CellStatus.OK).count());
            assertStatistics(store.cellStats(List.of(first), null, null), expected);
            database.dsl().update(CELL).setNull(CELL.MEDIAN).setNull(CELL.SAMPLES_N).where(CELL.RUN_ID.eq(first)).execute();
            assertThat(store.backfillSummaries()).as("done once: later starts do not look again").isZero();
        }
    }

    private static void assertStatistics(List<RunStore.CellStat> stats, List<dev.conlab.bench.CellResult> expected) {
        assertThat(stats).hasSize(expected.size());
        for (int i = 0; i < stats.size(); i++) {
            assertThat(stats.get(i).median()).isEqualTo(dev.conlab.bench.stats.CellSummary.wall(expected.get(i)).median());
            assertThat(stats.get(i).samples()).isEqualTo(expected.get(i).samples().size());
        }
    }

    @OnEachStore
    void deleting_a_run_removes_its_cells_and_samples(TestDatabases.Named db) throws Exception {
        try (Database database = db.open().get()) {
            RunStore store = new RunStore(database);
            RunDocument doc = document();
            long id = store.insert(doc, Json.MAPPER.writeValueAsString(doc), RunStore.Source.LOCAL).runId();
            assertThat(store.delete(id)).isTrue();
            assertThat(store.delete(id)).isFalse();
            assertThat(database.dsl().fetchCount(CELL)).isZero();
            assertThat(database.dsl().fetchCount(SAMPLE)).isZero();
            assertThat(store.documentJson(id)).isEmpty();
        }
    }
}
