package dev.conlab.server.queue;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunPlanner;
import dev.conlab.bench.RunRequest;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.db.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one execution path of a claimed job — the server's own host reports it to the store (RunQueueTest), an agent over HTTP
 * (FleetIT) — with the queue's test double of a measurement and a reporter that records what it is told: every way a job
 * ends, reported the same whoever runs it.
 */
class RunExecutionTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Recorder reports = new Recorder();
    private final JdkCatalog jdks = JdkCatalog.discover();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    /** What a reporter was told, in order: "started 1", "cell 1 0", "document 1", "end 1 cancelled: why". */
    private static final class Recorder implements RunExecution.Reporter {
        final List<String> said = new CopyOnWriteArrayList<>();

        @Override
        public void started(long runId, MachineInfo machine, JvmInfo jvm, PythonInfo python) {
            said.add("started " + runId);
        }

        @Override
        public void cell(long runId, int index, CellResult cell) {
            said.add("cell " + runId + " " + index);
        }

        @Override
        public void document(long runId, RunDocument document) {
            said.add("document " + runId + (document.sitting() == null ? "" : " sitting " + document.sitting().interleaved()));
        }

        @Override
        public void end(long runId, RunStatus status, String why) {
            said.add("end " + runId + " " + status.id() + ": " + why);
        }
    }

    private ClaimedRun run(long id, int limitSeconds, boolean interleave, String sitting) {
        Jdk jdk = jdks.newestPerFeature().get(jdks.newestPerFeature().size() - 1);
        RunSpec spec = RunPlanner.plan(RunRequest.suite("smoke").withWorkloads(List.of("sleep-io")).withModels(List.of("sequential", "threads"))
                .withPrecision(null, null, interleave ? Boolean.TRUE : null));
        return new ClaimedRun(id, java.util.UUID.randomUUID().toString(), "jvm", jdk.home().toString(), limitSeconds, spec, sitting);
    }

    private RunExecution execution(List<ClaimedRun> runs, FakeMeasurer measurer) {
        return new RunExecution(runs, measurer, jdks, reports, timers, TimeUnit.MILLISECONDS);
    }

    private static CompletableFuture<String> start(RunExecution execution) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return execution.execute();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void a_job_that_finishes_reports_its_hello_each_cell_and_its_document() throws Exception {
        var measurer = new FakeMeasurer();
        var job = start(execution(List.of(run(7, 60_000, false, "s1")), measurer));
        assertThat(measurer.firstCellStored.await(5, TimeUnit.SECONDS)).isTrue();
        measurer.finish();
        assertThat(job.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(reports.said).containsExactly("started 7", "cell 7 0", "cell 7 1", "document 7 sitting false");
    }

    @Test
    void a_cancel_kills_the_worker_and_every_run_of_the_job_ends_cancelled_with_its_cells_kept() throws Exception {
        var measurer = new FakeMeasurer();
        RunExecution execution = execution(List.of(run(7, 60_000, false, null)), measurer);
        var job = start(execution);
        assertThat(measurer.firstCellStored.await(5, TimeUnit.SECONDS)).isTrue();
        execution.cancel();
        assertThat(job.get(5, TimeUnit.SECONDS)).isEqualTo("cancelled");
        assertThat(reports.said).containsExactly("started 7", "cell 7 0", "end 7 cancelled: " + RunExecution.CANCELLED);
    }

    @Test
    void a_job_its_lease_gave_up_stops_and_reports_nothing_more() throws Exception {
        var measurer = new FakeMeasurer();
        RunExecution execution = execution(List.of(run(7, 60_000, false, null)), measurer);
        var job = start(execution);
        assertThat(measurer.firstCellStored.await(5, TimeUnit.SECONDS)).isTrue();
        execution.lost();
        assertThat(job.get(5, TimeUnit.SECONDS)).startsWith("given up");
        assertThat(reports.said).containsExactly("started 7", "cell 7 0");
    }

    @Test
    void the_limit_kills_the_job_and_it_ends_failed_saying_which_limit() throws Exception {
        var measurer = new FakeMeasurer();
        var job = start(execution(List.of(run(7, 50, false, null)), measurer)); // 50 ms in this test's unit
        assertThat(job.get(5, TimeUnit.SECONDS)).isEqualTo("failed: run limit");
        assertThat(reports.said.get(reports.said.size() - 1)).startsWith("end 7 failed: did not finish within the run limit of 50 s");
    }

    @Test
    void a_worker_that_cannot_run_fails_the_job_with_its_reason_and_a_host_that_stops_interrupts_it() throws Exception {
        var measurer = new FakeMeasurer();
        var job = start(execution(List.of(run(7, 60_000, false, null)), measurer));
        assertThat(measurer.firstCellStored.await(5, TimeUnit.SECONDS)).isTrue();
        measurer.fail("the JVM crashed at start");
        assertThat(job.get(5, TimeUnit.SECONDS)).isEqualTo("failed: the JVM crashed at start");
        assertThat(reports.said).endsWith("end 7 failed: the JVM crashed at start");

        reports.said.clear();
        var second = new FakeMeasurer();
        RunExecution stopping = execution(List.of(run(8, 60_000, false, null)), second);
        var other = start(stopping);
        assertThat(second.firstCellStored.await(5, TimeUnit.SECONDS)).isTrue();
        stopping.interrupt();
        assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo("interrupted");
        assertThat(reports.said).endsWith("end 8 interrupted: " + RunExecution.INTERRUPTED);
    }

    @Test
    void a_jdk_that_is_no_longer_installed_fails_the_run_with_a_sentence() throws Exception {
        var measurer = new FakeMeasurer();
        ClaimedRun gone = new ClaimedRun(9, java.util.UUID.randomUUID().toString(), "jvm", "/nowhere/jdk-99", 60, run(9, 60, false, null).spec(), null);
        assertThat(start(execution(List.of(gone), measurer)).get(5, TimeUnit.SECONDS)).startsWith("failed");
        assertThat(reports.said).containsExactly("end 9 failed: the run's JDK /nowhere/jdk-99 is no longer installed on this machine");
    }

    @Test
    void an_interleaved_sittings_runs_are_one_job_each_with_its_document_in_the_sitting() throws Exception {
        var measurer = new FakeMeasurer();
        var execution = execution(List.of(run(7, 60_000, true, "s2"), run(8, 60_000, true, "s2")), measurer);
        var job = start(execution);
        assertThat(measurer.firstCellStored.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(execution.estimateSeconds()).as("a sitting's cells end together in its last rounds: no estimate from the first").isNull();
        measurer.finish();
        assertThat(job.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(reports.said).contains("document 7 sitting true", "document 8 sitting true");
    }
}
