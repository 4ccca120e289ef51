package dev.conlab.server.queue;

import dev.conlab.bench.Json;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunRequest;
import dev.conlab.bench.Vocabulary;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.bench.fork.Python;
import dev.conlab.bench.harness.Probe;
import dev.conlab.db.QueueStore;
import dev.conlab.db.QueueStore.QueuedRun;
import dev.conlab.db.RunStatus;
import dev.conlab.server.core.LabException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The server's run queue: requests are checked like {@code conlab run} and stored as {@code queued} runs (one per
 * JDK); the {@link Runner} measures them one at a time on this host; cancel and retry follow the rules of
 * {@link RunStatus}. The HTTP API and the dashboard's form both go through here, and get {@link QueueEntry}s back.
 */
public final class RunQueue implements AutoCloseable {

    private final QueueStore store;
    private final JdkCatalog jdks;
    private final MachineInfo host;
    private final RequestChecker checker;
    private final ProgressTracker tracker = new ProgressTracker();
    private final Runner runner;

    public RunQueue(QueueStore store, JdkCatalog jdks, MachineInfo host, Supplier<Measurer> measurers) {
        this(store, jdks, host, measurers, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** @param limitUnit the unit of the runs' limits (tests use milliseconds) */
    RunQueue(QueueStore store, JdkCatalog jdks, MachineInfo host, Supplier<Measurer> measurers, java.util.concurrent.TimeUnit limitUnit) {
        this.store = store;
        this.jdks = jdks;
        this.host = host;
        this.checker = new RequestChecker(jdks);
        this.runner = new Runner(store, jdks, measurers, tracker, limitUnit);
    }

    /** The queue of this host, with the JDKs found on it, measuring in forked worker JVMs. */
    public static RunQueue onThisHost(QueueStore store) {
        return new RunQueue(store, JdkCatalog.discover(), Probe.machine(), Measurer.onThisHost());
    }

    /** Starts the runner; runs a crash left {@code running} become {@code interrupted} first. */
    public void start() {
        runner.start();
    }

    public JdkCatalog jdks() {
        return jdks;
    }

    /**
     * Checks a request and queues one run per JDK.
     *
     * @return the queued runs, in the order of the JDKs
     * @throws LabException.Invalid with a sentence naming the valid choices
     */
    public List<QueueEntry> enqueue(RunRequest request) {
        var entries = new ArrayList<QueueEntry>();
        for (RequestChecker.Planned p : checker.check(request)) {
            QueueStore.NewRun run = p.target() instanceof Python python
                    ? new QueueStore.NewRun(p.spec().suite(), 0, python.info().version(), python.info().implementation(),
                            python.executable().toString(), json(p.spec()), p.spec().cells().size(), p.runTimeoutSeconds(), null, Vocabulary.PYTHON)
                    : new QueueStore.NewRun(p.spec().suite(), ((Jdk) p.target()).feature(), ((Jdk) p.target()).version(),
                            ((Jdk) p.target()).vendor(), ((Jdk) p.target()).home().toString(), json(p.spec()), p.spec().cells().size(),
                            p.runTimeoutSeconds(), null);
            long id = store.enqueue(host, run);
            entries.add(entry(id));
        }
        runner.wake();
        return entries;
    }

    /**
     * Queues a failed, cancelled or interrupted run again as a new run with the same plan and JDK.
     *
     * @return the new run
     */
    public QueueEntry retry(long runId) {
        QueuedRun run = get(runId);
        if (run.specJson() == null) {
            throw new LabException.Conflict("run " + runId + " was uploaded, not queued here: there is no plan to run again");
        }
        if (!run.status().retryable()) {
            throw new LabException.Conflict("run " + runId + " is " + run.status()
                    + "; only failed, cancelled or interrupted runs can be retried (queue a new run instead)");
        }
        boolean python = Vocabulary.PYTHON.equals(run.runtime());
        if (run.jdkHome() == null || !Files.isExecutable(python ? Path.of(run.jdkHome()) : Path.of(run.jdkHome(), "bin", "java"))) {
            throw new LabException.Conflict("run " + runId + "'s " + (python ? "Python interpreter" : "JDK") + " (" + run.jdkHome()
                    + ") is no longer installed; queue a new run");
        }
        long id = store.enqueue(host, new QueueStore.NewRun(run.suite(), run.jdkFeature(), run.jdkVersion(), run.jdkVendor(),
                run.jdkHome(), run.specJson(), run.cellsTotal(), run.runTimeoutSeconds(), runId, run.runtime()));
        runner.wake();
        return entry(id);
    }

    /**
     * Cancels a queued run, or stops a running one: its worker and every process the worker started are killed
     * before this returns; finished cells stay.
     *
     * @return the run as it is now
     */
    public QueueEntry cancel(long runId) throws InterruptedException {
        for (int attempt = 0; attempt < 3; attempt++) {
            QueuedRun run = get(runId);
            if (run.status() == RunStatus.QUEUED && store.end(runId, RunStatus.CANCELLED, "cancelled before it started")) {
                return entry(runId);
            }
            if (runner.stop(runId)) return entry(runId);
            run = get(runId);
            if (!run.status().active()) {
                throw new LabException.Conflict("run " + runId + " is " + run.status() + "; only queued or running runs can be cancelled");
            }
            Thread.sleep(50); // it started or ended between our reads: look again
        }
        throw new LabException.Conflict("run " + runId + " is running, but not in this server's runner (another server on the same "
                + "database?); cancel it where it runs");
    }

    /** Queued and running runs, oldest first, each with its progress. */
    public List<QueueEntry> active() {
        return store.active().stream().map(this::entry).toList();
    }

    /** Runs of the queue that ended in the last {@code minutes} minutes, newest first (at most 5). */
    public List<QueueEntry> recentlyEnded(int minutes) {
        var since = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(minutes);
        return store.endedSince(since, 5).stream().map(this::entry).toList();
    }

    /** A run with its progress; empty when there is no such run. */
    public Optional<QueueEntry> find(long runId) {
        return store.get(runId).map(this::entry);
    }

    /** A run with its progress; {@link LabException.NotFound} when there is no such run. */
    public QueueEntry entry(long runId) {
        return entry(get(runId));
    }

    /** The worker JVM measuring {@code runId} now, if any (tests check that cancelling kills it). */
    public Optional<Long> workerPid(long runId) {
        ProgressTracker.Active now = tracker.active(runId);
        return now == null ? Optional.empty() : Optional.ofNullable(now.measurer.currentPid());
    }

    private QueueEntry entry(QueuedRun run) {
        return QueueEntry.of(run, tracker.progress(run));
    }

    private QueuedRun get(long runId) {
        return store.get(runId).orElseThrow(() -> new LabException.NotFound("no run " + runId + "; GET /api/runs lists them"));
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the runner; a run being measured ends {@code interrupted}. */
    @Override
    public void close() {
        runner.close();
    }
}
