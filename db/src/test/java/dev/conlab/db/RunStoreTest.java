package dev.conlab.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.TestDocuments;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    static List<TestDatabases.Named> databases() {
        return TestDatabases.all();
    }

    static RunDocument document() {
        return TestDocuments.small();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_stored_document_comes_back_equal_as_json_with_its_cells_and_samples_in_columns(TestDatabases.Named db) throws Exception {
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
            assertThat(dsl.fetchCount(SAMPLE)).isEqualTo(3 * 2);
            assertThat(dsl.fetchCount(MACHINE)).isEqualTo(1);
            assertThat(dsl.select(RUN.JDK_FEATURE).from(RUN).fetchOne(RUN.JDK_FEATURE)).isEqualTo(doc.jvm().feature());
            long walls = dsl.select(DSL.sum(SAMPLE.WALL_NANOS)).from(SAMPLE).fetchOne(0, Long.class);
            long expected = doc.results().stream().flatMap(c -> c.samples().stream()).mapToLong(s -> s.wallNanos()).sum();
            assertThat(walls).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_document_that_fails_half_way_leaves_nothing_behind(TestDatabases.Named db) throws Exception {
        try (Database database = db.open().get()) {
            RunStore store = new RunStore(database);
            RunDocument doc = document();
            var cells = new ArrayList<>(doc.results());
            CellResult last = cells.remove(cells.size() - 1);
            // A workload id longer than its column (64), in the last cell: the run row and the first
            // cells and samples are written before the database refuses it.
            cells.add(new CellResult("w".repeat(100), last.model(), last.params(), last.modelParams(), CellStatus.FAILED,
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
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
