package dev.conlab.db;

import dev.conlab.bench.MachineInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Claims and leases on H2 and PostgreSQL: concurrent claimants never share a run, and never take another machine's. */
class QueueStoreTest {

    private static MachineInfo machine(String fingerprint) {
        return new MachineInfo(fingerprint, fingerprint, "host", null, null, null, null);
    }

    private static QueueStore.NewRun run() {
        return new QueueStore.NewRun("smoke", 25, "25.0.3", "Test", "/opt/jdk-25", "{}", 2, 3600, null);
    }

    @OnEachStore
    void concurrent_claims_take_each_run_of_their_machine_once_and_no_run_of_another(TestDatabases.Named db) throws Exception {
        try (Database database = db.open().get()) {
            QueueStore store = new QueueStore(database);
            long mine = store.machineId(machine("00000000000000a1"));
            long other = store.machineId(machine("00000000000000b2"));
            var queued = new ArrayList<Long>();
            for (int i = 0; i < 30; i++) queued.add(store.enqueue(mine, run()));
            for (int i = 0; i < 5; i++) store.enqueue(other, run());
            var claimed = Collections.synchronizedList(new ArrayList<Long>());
            var threads = new ArrayList<Thread>();
            for (int t = 0; t < 4; t++) {
                String holder = QueueStore.SERVER_HOLDER + "claimant-" + t;
                Thread thread = new Thread(() -> {
                    Optional<QueueStore.QueuedRun> next;
                    while ((next = store.claimNext(mine, holder, Duration.ofSeconds(30))).isPresent()) {
                        assertThat(next.get().leaseHolder()).isEqualTo(holder);
                        claimed.add(next.get().id());
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread t : threads) t.join();
            assertThat(claimed).containsExactlyInAnyOrderElementsOf(queued);
            assertThat(store.active(other)).hasSize(5).allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.QUEUED));
        }
    }

    @OnEachStore
    void a_lease_is_renewed_by_its_holder_alone_and_a_lapsed_one_ends_the_run_interrupted(TestDatabases.Named db) throws Exception {
        try (Database database = db.open().get()) {
            QueueStore store = new QueueStore(database);
            long machine = store.machineId(machine("00000000000000c3"));
            long id = store.enqueue(machine, run());
            String holder = QueueStore.AGENT_HOLDER + "s1";
            assertThat(store.claimNext(machine, holder, Duration.ofMillis(200))).isPresent();
            assertThat(store.renew(id, QueueStore.AGENT_HOLDER + "s2", Duration.ofSeconds(30))).isEqualTo(QueueStore.LeaseState.LOST);
            assertThat(store.renew(id, holder, Duration.ofMillis(200))).isEqualTo(QueueStore.LeaseState.HELD);
            assertThat(store.expireLeases()).isEmpty();
            Thread.sleep(300);
            assertThat(store.expireLeases()).containsExactly(id);
            assertThat(store.get(id).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(store.heldBy(id, holder)).isFalse();
        }
    }
    @OnEachStore
    void a_run_counted_as_queued_moves_to_the_machine_and_jdk_its_worker_reports(TestDatabases.Named db) throws Exception {
        try (Database database = db.open().get()) {
            QueueStore store = new QueueStore(database);
            RunStore runs = new RunStore(database);
            long queuedOn = store.machineId(machine("00000000000000d4"));
            long id = store.enqueue(queuedOn, run()); // asked for JDK 25 on this machine
            store.enqueue(queuedOn, run());
            assertThat(runs.count()).isEqualTo(2);
            assertThat(store.claimNext(queuedOn, QueueStore.SERVER_HOLDER + "t", Duration.ofSeconds(30))).isPresent();
            // its worker ran elsewhere on a JDK 17 (a machine whose fingerprint changed, a JDK home that is another release)
            store.started(id, machine("00000000000000e5"), new dev.conlab.bench.JvmInfo(17, "17.0.9", "Test", "vm", "17", "/opt/jdk-17",
                    "G1", null, null, null, List.of()));
            var counted = new java.util.HashMap<List<Object>, Long>();
            database.dsl().select(org.jooq.impl.DSL.field("machine_id", Long.class), org.jooq.impl.DSL.field("jdk_feature", Integer.class),
                            org.jooq.impl.DSL.field("runs", Long.class)).from(org.jooq.impl.DSL.table("machine_runtime"))
                    .forEach(r -> counted.put(List.of(r.value1(), r.value2()), r.value3()));
            var actual = new java.util.HashMap<List<Object>, Long>();
            database.dsl().select(org.jooq.impl.DSL.field("machine_id", Long.class), org.jooq.impl.DSL.field("jdk_feature", Integer.class),
                            org.jooq.impl.DSL.count()).from(org.jooq.impl.DSL.table("run"))
                    .groupBy(org.jooq.impl.DSL.field("machine_id"), org.jooq.impl.DSL.field("jdk_feature"))
                    .forEach(r -> actual.put(List.of(r.value1(), r.value2()), (long) r.value3()));
            assertThat(counted).isEqualTo(actual).hasSize(2);
            assertThat(runs.count()).isEqualTo(2);
            assertThat(runs.list(new RunStore.Filter(queuedOn, null, null, null, null, null, null), 0, 10).total()).isEqualTo(1);
            assertThat(runs.list(new RunStore.Filter(null, 17, null, null, null, null, null), 0, 10).total()).isEqualTo(1);
            assertThat(runs.list(new RunStore.Filter(null, 17, null, null, null, null, null), 0, 10).runs()).extracting(RunStore.RunRow::id)
                    .containsExactly(id);
        }
    }

    @OnEachStore
    void a_running_runs_cells_keep_their_samples_as_rows_until_its_document_holds_them(TestDatabases.Named db) throws Exception {
        try (Database database = db.open().get()) {
            QueueStore store = new QueueStore(database);
            RunStore runs = new RunStore(database);
            var doc = dev.conlab.bench.TestDocuments.small();
            long machine = store.machineId(doc.machine());
            long id = store.enqueue(machine, run());
            assertThat(store.claimNext(machine, QueueStore.SERVER_HOLDER + "t", Duration.ofSeconds(30))).isPresent();
            store.started(id, doc.machine(), doc.jvm());
            int position = 0;
            while (doc.results().get(position).samples().isEmpty()) position++;
            var first = doc.results().get(position);
            store.cellFinished(id, position, first);
            // while it runs, its page shows the finished cell from its rows, every sample as measured
            var cells = runs.cells(id);
            assertThat(cells).hasSize(1);
            assertThat(cells.get(0).result().samples()).isEqualTo(first.samples());

            var finished = new dev.conlab.bench.RunDocument(doc.schema(), store.get(id).orElseThrow().documentId(), doc.startedAt(),
                    doc.finishedAt(), doc.suite(), doc.machine(), doc.jvm(), doc.settings(), doc.results());
            assertThat(store.finish(id, finished, dev.conlab.bench.Json.MAPPER.writeValueAsString(finished))).isTrue();
            var dsl = database.dsl();
            // done: the document holds the samples; each cell row keeps their count and statistics
            assertThat(dsl.fetchCount(dev.conlab.db.jooq.Tables.SAMPLE)).isZero();
            int total = doc.results().stream().mapToInt(c -> c.samples().size()).sum();
            assertThat(dsl.select(org.jooq.impl.DSL.sum(dev.conlab.db.jooq.Tables.CELL.SAMPLES_N)).from(dev.conlab.db.jooq.Tables.CELL)
                    .where(dev.conlab.db.jooq.Tables.CELL.RUN_ID.eq(id)).fetchOne(0, Integer.class)).isEqualTo(total);
            assertThat(runs.cellStats(List.of(id), first.workload(), first.model())).singleElement()
                    .satisfies(stat -> assertThat(stat.median()).isEqualTo(dev.conlab.bench.stats.CellSummary.wall(first).median()));
        }
    }
}
