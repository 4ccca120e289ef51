package dev.conlab.server.queue;

import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunPlanner;
import dev.conlab.bench.RunRequest;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.TestDocuments;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.db.AgentStore;
import dev.conlab.db.Database;
import dev.conlab.db.QueueStore;
import dev.conlab.db.RunStatus;
import dev.conlab.db.RunStore;
import dev.conlab.server.core.LabException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The queue's state machine — queued → running → done | failed | cancelled | interrupted, the run limit, cancel while
 * running, a restart after a crash, retry — on a real (in-memory H2) database with a measurer that needs no process.
 * Each test takes milliseconds; QueueIT keeps what needs real worker JVMs.
 */
class RunQueueTest {

    private static final RunRequest TWO_CELLS = RunRequest.suite("smoke").withWorkloads(List.of("sleep-io"))
            .withModels(List.of("sequential", "threads"));

    private Database database;
    private QueueStore store;
    private FakeMeasurer.Factory measurers;
    private RunQueue queue;

    @BeforeEach
    void open() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store = new QueueStore(database);
        queue = newQueue();
    }

    private RunQueue newQueue() {
        measurers = new FakeMeasurer.Factory();
        return new RunQueue(store, new AgentStore(database), JdkCatalog.discover(), TestDocuments.small().machine(), measurers,
                java.time.Duration.ofSeconds(30), TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void close() {
        queue.close();
        database.close();
    }

    private long enqueue(RunRequest request) {
        return queue.enqueue(request).get(0).id();
    }

    /** Waits (at most 5 s; milliseconds when it works) until the run is in the state. */
    private QueueEntry await(long id, Predicate<QueueEntry> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        QueueEntry entry = queue.entry(id);
        while (!condition.test(entry) && System.nanoTime() < deadline) {
            Thread.sleep(2);
            entry = queue.entry(id);
        }
        return entry;
    }

    private QueueEntry awaitStatus(long id, RunStatus status) throws InterruptedException {
        QueueEntry entry = await(id, e -> e.status() == status);
        assertThat(entry.status()).as("run %d", id).isEqualTo(status);
        return entry;
    }

    private int cellsStored(long id) {
        return new RunStore(database).cells(id).size();
    }

    @Test
    void a_run_goes_from_queued_to_running_to_done_with_its_document_and_its_progress_on_the_way() throws Exception {
        long id = enqueue(TWO_CELLS);
        QueueEntry queued = queue.entry(id);
        assertThat(queued.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(queued.progress()).isEqualTo(new Progress.Waiting(0, 2, 0.0));
        assertThat(queued.url()).isEqualTo("/api/runs/" + id);

        queue.start();
        FakeMeasurer measuring = measurers.next();
        QueueEntry running = awaitStatus(id, RunStatus.RUNNING);
        assertThat(running.startedAt()).isNotNull();
        Progress.Measuring progress = (Progress.Measuring) running.progress();
        assertThat(progress.cellsDone()).isEqualTo(1);
        assertThat(progress.workerPid()).isEqualTo(FakeMeasurer.PID);
        assertThat(progress.currentCell().model()).isEqualTo("threads");
        assertThat(progress.fraction()).isBetween(0.5, 1.0);
        assertThat(queue.workerPid(id)).contains(FakeMeasurer.PID);
        assertThat(cellsStored(id)).isEqualTo(1);

        measuring.finish();
        QueueEntry done = awaitStatus(id, RunStatus.DONE);
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.progress()).isEqualTo(new Progress.Waiting(2, 2, 1.0));
        assertThat(new RunStore(database).documentJson(id)).isPresent();
        assertThat(cellsStored(id)).isEqualTo(2);
        assertThat(queue.active()).isEmpty();
        assertThat(queue.recentlyEnded(10)).extracting(QueueEntry::id).containsExactly(id);
    }

    @Test
    void runs_are_measured_one_at_a_time_oldest_first() throws Exception {
        long first = enqueue(TWO_CELLS);
        long second = enqueue(TWO_CELLS);
        assertThat(queue.active()).extracting(QueueEntry::id).containsExactly(first, second);
        queue.start();
        FakeMeasurer measuring = measurers.next();
        awaitStatus(first, RunStatus.RUNNING);
        Thread.sleep(20);
        assertThat(queue.entry(second).status()).isEqualTo(RunStatus.QUEUED);
        assertThat(measurers.made).isEmpty();
        measuring.finish();
        measurers.next().finish();
        awaitStatus(first, RunStatus.DONE);
        QueueEntry done = awaitStatus(second, RunStatus.DONE);
        assertThat(done.startedAt()).isAfterOrEqualTo(queue.entry(first).finishedAt());
    }

    @Test
    void a_worker_that_cannot_run_fails_the_run_with_its_reason_and_the_queue_goes_on() throws Exception {
        long failing = enqueue(TWO_CELLS);
        long next = enqueue(TWO_CELLS);
        queue.start();
        measurers.next().fail("the worker JVM exited with code 1: no such JDK");
        QueueEntry failed = awaitStatus(failing, RunStatus.FAILED);
        assertThat(failed.error()).contains("no such JDK");
        assertThat(cellsStored(failing)).as("its finished cell is kept").isEqualTo(1);
        measurers.next().finish();
        awaitStatus(next, RunStatus.DONE);
    }

    @Test
    void a_queued_run_is_cancelled_before_it_starts_and_cannot_be_cancelled_twice() throws Exception {
        long id = enqueue(TWO_CELLS);
        QueueEntry cancelled = queue.cancel(id);
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.error()).contains("before it started");
        assertThatThrownBy(() -> queue.cancel(id)).isInstanceOf(LabException.Conflict.class)
                .hasMessageContaining("is cancelled; only queued or running runs can be cancelled");
        queue.start();
        Thread.sleep(20);
        assertThat(measurers.made).as("a cancelled run is never measured").isEmpty();
    }

    @Test
    void a_running_run_is_cancelled_its_measurement_stopped_and_its_finished_cells_kept() throws Exception {
        long id = enqueue(TWO_CELLS);
        queue.start();
        FakeMeasurer measuring = measurers.next();
        QueueEntry cancelled = queue.cancel(id);
        assertThat(measuring.cancelled).isTrue();
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.error()).contains("cancelled while running");
        assertThat(cellsStored(id)).isEqualTo(1);
        assertThat(new RunStore(database).documentJson(id)).isEmpty();
        assertThat(queue.workerPid(id)).isEmpty();
    }

    @Test
    void a_run_past_its_limit_is_stopped_and_fails_with_the_limit_in_its_reason() throws Exception {
        RunSpec spec = RunPlanner.plan(TWO_CELLS);
        Jdk jdk = JdkCatalog.discover().select(List.of()).get(0);
        // a limit of 30 units: milliseconds in this queue
        long id = store.enqueue(TestDocuments.small().machine(), new QueueStore.NewRun(spec.suite(), jdk.feature(), jdk.version(),
                jdk.vendor(), jdk.home().toString(), Json.MAPPER.writeValueAsString(spec), spec.cells().size(), 30, null));
        queue.start();
        FakeMeasurer measuring = measurers.next();
        QueueEntry failed = awaitStatus(id, RunStatus.FAILED);
        assertThat(measuring.cancelled).isTrue();
        assertThat(failed.error()).contains("run limit");
        assertThat(cellsStored(id)).isEqualTo(1);
    }

    @Test
    void closing_the_queue_while_a_run_measures_ends_it_interrupted() throws Exception {
        long id = enqueue(TWO_CELLS);
        queue.start();
        FakeMeasurer measuring = measurers.next();
        queue.close();
        QueueEntry interrupted = awaitStatus(id, RunStatus.INTERRUPTED);
        assertThat(measuring.cancelled).isTrue();
        assertThat(interrupted.error()).contains("server stopped");
        assertThat(cellsStored(id)).isEqualTo(1);
    }

    @Test
    void a_restart_after_a_crash_marks_the_run_that_was_running_interrupted_and_measures_the_next() throws Exception {
        long crashed = enqueue(TWO_CELLS);
        long next = enqueue(TWO_CELLS);
        // what a killed server left running
        assertThat(store.claimNext(queue.hostId(), QueueStore.SERVER_HOLDER + "killed", java.time.Duration.ofSeconds(30)))
                .map(QueueStore.QueuedRun::id).contains(crashed);
        queue.close();
        queue = newQueue();
        queue.start();
        assertThat(queue.entry(crashed).status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(queue.entry(crashed).error()).contains("server stopped");
        measurers.next().finish();
        awaitStatus(next, RunStatus.DONE);
    }

    @Test
    void failed_cancelled_and_interrupted_runs_are_retried_as_new_runs_and_others_are_not() throws Exception {
        long cancelled = enqueue(TWO_CELLS);
        queue.cancel(cancelled);
        QueueEntry retry = queue.retry(cancelled);
        assertThat(retry.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(retry.retryOf()).isEqualTo(cancelled);
        assertThat(retry.id()).isNotEqualTo(cancelled);

        assertThatThrownBy(() -> queue.retry(retry.id())).isInstanceOf(LabException.Conflict.class)
                .hasMessageContaining("is queued; only failed, cancelled or interrupted runs can be retried");
        queue.start();
        measurers.next().finish();
        awaitStatus(retry.id(), RunStatus.DONE);
        assertThatThrownBy(() -> queue.retry(retry.id())).isInstanceOf(LabException.Conflict.class).hasMessageContaining("is done");

        long uploaded = new RunStore(database).insert(TestDocuments.small(), TestDocuments.smallJson(), RunStore.Source.UPLOAD).runId();
        assertThatThrownBy(() -> queue.retry(uploaded)).isInstanceOf(LabException.Conflict.class).hasMessageContaining("was uploaded");
        assertThatThrownBy(() -> queue.cancel(uploaded)).isInstanceOf(LabException.Conflict.class).hasMessageContaining("is done");
        assertThatThrownBy(() -> queue.retry(999_999)).isInstanceOf(LabException.NotFound.class);
        assertThatThrownBy(() -> queue.cancel(999_999)).isInstanceOf(LabException.NotFound.class);
    }

    @Test
    void a_bad_request_is_refused_with_the_valid_choices_and_queues_nothing() {
        assertThatThrownBy(() -> queue.enqueue(TWO_CELLS.withModels(List.of("green-threads"))))
                .isInstanceOf(LabException.Invalid.class).hasMessageContaining("valid models: sequential");
        assertThatThrownBy(() -> queue.enqueue(TWO_CELLS.withJdks(List.of("/tmp"))))
                .isInstanceOf(LabException.Invalid.class).hasMessageContaining("unknown JDK '/tmp'");
        assertThatThrownBy(() -> queue.enqueue(TWO_CELLS.withRunTimeout(5)))
                .isInstanceOf(LabException.Invalid.class).hasMessageContaining("run timeout must be 10 to");
        assertThatThrownBy(() -> queue.enqueue(TWO_CELLS.withParams(Map.of("sleep-io.tasks", "-1"))))
                .isInstanceOf(LabException.Invalid.class).hasMessageContaining("out of range");
        assertThat(queue.active()).isEmpty();
    }

    private long otherMachine(String name) {
        return store.machineId(dev.conlab.bench.harness.Probe.named(TestDocuments.small().machine(), name));
    }

    private long enqueueFor(long machineId) throws Exception {
        RunSpec spec = RunPlanner.plan(TWO_CELLS);
        Jdk jdk = JdkCatalog.discover().select(List.of()).get(0);
        return store.enqueue(machineId, new QueueStore.NewRun(spec.suite(), jdk.feature(), jdk.version(), jdk.vendor(),
                jdk.home().toString(), Json.MAPPER.writeValueAsString(spec), spec.cells().size(), 3600, null));
    }

    @Test
    void the_runner_takes_only_its_own_machines_runs_and_a_restart_interrupts_only_its_own() throws Exception {
        long elsewhere = enqueueFor(otherMachine("b"));
        long mine = enqueue(TWO_CELLS);
        long theirsRunning = enqueueFor(otherMachine("c"));
        assertThat(store.claimNext(otherMachine("c"), QueueStore.SERVER_HOLDER + "other-server", java.time.Duration.ofSeconds(30)))
                .map(QueueStore.QueuedRun::id).contains(theirsRunning);
        queue.start();
        measurers.next().finish();
        awaitStatus(mine, RunStatus.DONE);
        assertThat(queue.entry(elsewhere).status()).isEqualTo(RunStatus.QUEUED); // never on the wrong host
        queue.close();
        queue = newQueue();
        queue.start();
        assertThat(queue.entry(theirsRunning).status()).isEqualTo(RunStatus.RUNNING); // another server's run survives this restart
        assertThat(queue.entry(elsewhere).status()).isEqualTo(RunStatus.QUEUED);
    }

    @Test
    void a_lapsed_lease_interrupts_the_run_with_its_cells_and_its_holder_learns_it_lost_the_run() throws Exception {
        long machine = otherMachine("agent-a");
        long id = enqueueFor(machine);
        String holder = QueueStore.AGENT_HOLDER + "session-1";
        assertThat(store.claimNext(machine, holder, java.time.Duration.ofMillis(300))).isPresent();
        store.cellFinished(id, 0, dev.conlab.bench.CellResult.notRun(RunPlanner.plan(TWO_CELLS).cells().get(0),
                dev.conlab.bench.CellStatus.UNSUPPORTED, "test"));
        assertThat(store.renew(id, holder, java.time.Duration.ofMillis(300))).isEqualTo(QueueStore.LeaseState.HELD);
        assertThat(store.renew(id, QueueStore.AGENT_HOLDER + "someone-else", java.time.Duration.ofSeconds(30)))
                .isEqualTo(QueueStore.LeaseState.LOST);
        queue.start(); // extends agents' leases by 30 s: the server was away
        assertThat(store.expireLeases()).isEmpty();
        assertThat(store.claimNext(machine, holder, java.time.Duration.ofMillis(1))).isEmpty();
        assertThat(store.renew(id, holder, java.time.Duration.ofMillis(1))).isEqualTo(QueueStore.LeaseState.HELD);
        Thread.sleep(20);
        assertThat(store.expireLeases()).containsExactly(id);
        QueueEntry interrupted = queue.entry(id);
        assertThat(interrupted.status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(interrupted.error()).contains("agent measuring it stopped renewing its lease");
        assertThat(cellsStored(id)).isEqualTo(1);
        assertThat(store.renew(id, holder, java.time.Duration.ofSeconds(30))).isEqualTo(QueueStore.LeaseState.LOST);
    }

    @Test
    void cancelling_a_run_measured_elsewhere_says_cancelling_until_its_holder_confirms() throws Exception {
        long machine = otherMachine("agent-b");
        long id = enqueueFor(machine);
        String holder = QueueStore.AGENT_HOLDER + "session-2";
        store.claimNext(machine, holder, java.time.Duration.ofSeconds(30));
        assertThat(queue.cancel(id).status()).isEqualTo(RunStatus.CANCELLING);
        assertThat(queue.active()).extracting(QueueEntry::id).contains(id);
        assertThat(store.renew(id, holder, java.time.Duration.ofSeconds(30))).isEqualTo(QueueStore.LeaseState.CANCEL);
        assertThat(store.end(id, RunStatus.CANCELLED, "cancelled on its agent")).isTrue();
        assertThat(queue.entry(id).status()).isEqualTo(RunStatus.CANCELLED);

        // a holder that dies before it confirms: the lapse ends the run cancelled, as asked
        long another = enqueueFor(machine);
        store.claimNext(machine, holder, java.time.Duration.ofMillis(1));
        store.requestCancel(another);
        Thread.sleep(20);
        assertThat(store.expireLeases()).containsExactly(another);
        assertThat(queue.entry(another).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(queue.entry(another).error()).contains("stopped answering before it confirmed");
    }

    @Test
    void two_claimants_of_one_queued_run_never_both_get_it() throws Exception {
        long machine = otherMachine("contended");
        var ids = new java.util.ArrayList<Long>();
        for (int i = 0; i < 20; i++) ids.add(enqueueFor(machine));
        var claimed = java.util.Collections.synchronizedList(new java.util.ArrayList<Long>());
        var threads = new java.util.ArrayList<Thread>();
        for (int t = 0; t < 4; t++) {
            String holder = QueueStore.SERVER_HOLDER + t;
            Thread thread = new Thread(() -> {
                java.util.Optional<QueueStore.QueuedRun> run;
                while ((run = store.claimNext(machine, holder, java.time.Duration.ofSeconds(30))).isPresent()) claimed.add(run.get().id());
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) t.join();
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void the_runs_of_an_interleaved_sitting_are_claimed_and_measured_as_one_job_and_their_documents_share_the_sitting() throws Exception {
        List<QueueEntry> queued = queue.enqueue(TWO_CELLS.withJdks(List.of("all")).withPrecision(null, null, true));
        // a run queued separately after the sitting is not part of its job
        long separate = enqueue(TWO_CELLS);
        queue.start();
        FakeMeasurer measuring = measurers.next();
        for (QueueEntry e : queued) awaitStatus(e.id(), RunStatus.RUNNING);
        assertThat(queue.entry(separate).status()).isEqualTo(RunStatus.QUEUED);
        measuring.finish();
        String sitting = null;
        for (QueueEntry e : queued) {
            awaitStatus(e.id(), RunStatus.DONE);
            RunDocument doc = new dev.conlab.db.RunStore(database).documentJson(e.id())
                    .map(j -> { try { return Json.MAPPER.readValue(j, RunDocument.class); } catch (Exception x) { throw new IllegalStateException(x); } })
                    .orElseThrow();
            assertThat(doc.sitting().interleaved()).isTrue();
            assertThat(doc.sitting().targets()).isEqualTo(queued.size());
            if (sitting == null) sitting = doc.sitting().id();
            assertThat(doc.sitting().id()).isEqualTo(sitting);
        }
        measurers.next().finish();
        awaitStatus(separate, RunStatus.DONE);
    }
}
