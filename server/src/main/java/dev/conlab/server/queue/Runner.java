package dev.conlab.server.queue;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.db.QueueStore;
import dev.conlab.db.QueueStore.QueuedRun;
import dev.conlab.db.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The host's runner loop: one thread takes the oldest queued run (with the rest of its interleaved sitting, if it has one)
 * and measures it through a {@link RunExecution} — exactly what an agent runs — reporting to the store; one job at a time,
 * so that benchmarks do not disturb each other. A run a crash left {@code running} becomes {@code interrupted} when the
 * runner starts.
 */
final class Runner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
    static final String INTERRUPTED_MESSAGE = RunExecution.INTERRUPTED;

    private final QueueStore store;
    private final long machineId;
    /** This runner's lease holder: {@code server:<instance>}, new with every start of the server. */
    private final String holder = QueueStore.SERVER_HOLDER + java.util.UUID.randomUUID();
    private final java.time.Duration lease;
    private final JdkCatalog jdks;
    private final Supplier<Measurer> measurers;
    private final ProgressTracker tracker;
    private final Object signal = new Object();
    private final ScheduledExecutorService limits = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conlab-run-limit");
        t.setDaemon(true);
        return t;
    });
    /** The unit of a run's limit: seconds, but milliseconds in the queue's unit tests. */
    private final TimeUnit limitUnit;
    private volatile boolean closed;
    private Thread thread;

    Runner(QueueStore store, long machineId, java.time.Duration lease, JdkCatalog jdks, Supplier<Measurer> measurers,
           ProgressTracker tracker, TimeUnit limitUnit) {
        this.store = store;
        this.machineId = machineId;
        this.lease = lease;
        this.jdks = jdks;
        this.measurers = measurers;
        this.tracker = tracker;
        this.limitUnit = limitUnit;
    }

    /**
     * Marks what a crash of this host's server left running as interrupted (finished cells kept), then takes the runs
     * queued for this host, oldest first, renewing its lease on the ones it measures. Runs of other machines, and those
     * agents measure, are not touched.
     */
    synchronized void start() {
        if (thread != null) return;
        int interrupted = store.interruptHeld(machineId, QueueStore.SERVER_HOLDER, null, INTERRUPTED_MESSAGE);
        if (interrupted > 0) LOG.warn("{} run(s) were running when the server stopped; they are now interrupted", interrupted);
        long every = Math.max(1, lease.toMillis() / 3);
        limits.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        thread = new Thread(this::loop, "conlab-runner");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Renews the lease on the runs measured now; a cancel asked through another server (or the database) stops them, and
     * a job given up meanwhile (a lease lapsed while the database was away) is stopped without writing anything.
     */
    private void renew() {
        ProgressTracker.Active now = tracker.activeRun();
        if (now == null) return;
        try {
            QueueStore.LeaseState worst = QueueStore.LeaseState.HELD;
            for (long id : now.execution.runIds()) {
                QueueStore.LeaseState state = store.renew(id, holder, lease);
                if (state.ordinal() > worst.ordinal()) worst = state;
            }
            switch (worst) {
                case HELD -> { }
                case CANCEL -> now.execution.cancel();
                case LOST -> now.execution.lost();
            }
        } catch (RuntimeException e) {
            LOG.warn("could not renew the lease on runs {}: {}", now.execution.runIds(), e.toString());
        }
    }

    /** A run was queued: look now rather than at the next poll. */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                Optional<QueuedRun> next = store.claimNext(machineId, holder, lease);
                if (next.isPresent()) {
                    execute(job(next.get()));
                } else {
                    synchronized (signal) {
                        signal.wait(2000);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the database went away for a moment, or a bug: log, wait, go on — the queue must not stop
                LOG.error("the run queue failed; retrying in 5 s", e);
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** The claimed run, and the rest of its interleaved sitting on this machine, claimed with it. */
    private List<QueuedRun> job(QueuedRun first) {
        var job = new ArrayList<QueuedRun>(List.of(first));
        if (first.sitting() != null && interleaved(first)) job.addAll(store.claimSitting(machineId, first.sitting(), first.id(), holder, lease));
        return job;
    }

    private static boolean interleaved(QueuedRun run) {
        try {
            return Json.MAPPER.readValue(run.specJson(), RunSpec.class).settings().interleaved();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Measures one claimed job to its end. */
    void execute(List<QueuedRun> job) throws InterruptedException {
        var claimed = new ArrayList<ClaimedRun>();
        for (QueuedRun run : job) {
            try {
                claimed.add(new ClaimedRun(run.id(), run.documentId(), run.runtime(), run.jdkHome(), run.runTimeoutSeconds(),
                        Json.MAPPER.readValue(run.specJson(), RunSpec.class), run.sitting()));
            } catch (java.io.IOException e) {
                store.end(run.id(), RunStatus.FAILED, "the lab failed to run it: its plan cannot be read (" + e.getMessage() + ")");
            }
        }
        if (claimed.isEmpty()) return;
        RunExecution execution = new RunExecution(claimed, measurers.get(), jdks, reporter(), limits, limitUnit);
        ProgressTracker.Active now = tracker.begin(execution);
        try {
            if (closed) execution.interrupt();
            String outcome = execution.execute();
            if (execution.isLost()) LOG.warn("runs {} were given up while they measured (a lease lapsed): {}", execution.runIds(), outcome);
        } finally {
            tracker.end(now);
        }
    }

    /** The server's reports go to the store. */
    private RunExecution.Reporter reporter() {
        return new RunExecution.Reporter() {
            @Override
            public void started(long runId, MachineInfo machine, JvmInfo jvm, PythonInfo python) {
                store.started(runId, machine, jvm, python);
            }

            @Override
            public void cell(long runId, int index, CellResult cell) {
                store.cellFinished(runId, index, cell);
            }

            @Override
            public void document(long runId, RunDocument document) {
                try {
                    if (!store.finish(runId, document, Json.MAPPER.writeValueAsString(document))) {
                        LOG.warn("run {} finished, but it was no longer running; its document was not stored", runId);
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void end(long runId, RunStatus status, String why) {
                store.end(runId, status, why);
            }
        };
    }

    /**
     * Stops the job being measured now, if it has this run: kills its worker tree and waits (up to 10 s) until it has
     * ended. False when this runner is not measuring it.
     */
    boolean stop(long runId) throws InterruptedException {
        ProgressTracker.Active now = tracker.active(runId);
        if (now == null) return false;
        now.execution.cancel();
        now.ended.await(10, TimeUnit.SECONDS);
        return true;
    }

    /**
     * Stops the loop; a job being measured is stopped (its worker tree killed) and its runs end interrupted — waited for
     * up to 4 s, so that the database is still open when they are marked. The loop's thread is interrupted only then:
     * an interrupt that lands in H2's file I/O closes the file under every other session.
     */
    @Override
    public void close() {
        closed = true;
        ProgressTracker.Active now = tracker.activeRun();
        if (now != null) {
            now.execution.interrupt();
            try {
                if (!now.ended.await(4, TimeUnit.SECONDS)) LOG.warn("runs {} did not stop within 4 s", now.execution.runIds());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (thread != null) thread.interrupt();
        limits.shutdownNow();
    }
}
