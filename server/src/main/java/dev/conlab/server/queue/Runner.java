package dev.conlab.server.queue;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.bench.fork.Pythons;
import dev.conlab.bench.fork.Target;
import dev.conlab.bench.PythonInfo;
import dev.conlab.db.QueueStore;
import dev.conlab.db.QueueStore.QueuedRun;
import dev.conlab.db.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The runner loop: one thread takes the oldest queued run and measures it with a fresh {@link Measurer} — one run at
 * a time, so that benchmarks do not disturb each other — storing each cell as it finishes. It ends every run it
 * takes: {@code done} with its document, {@code failed} (the worker could not run, or the run limit passed),
 * {@code cancelled} (asked to) or {@code interrupted} (the server stopped); a run a crash left {@code running} becomes
 * {@code interrupted} when the runner starts.
 */
final class Runner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
    static final String INTERRUPTED_MESSAGE = "the server stopped while this run was running; its finished cells are kept";

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
     * queued for this host, oldest first, renewing its lease on the one it measures. Runs of other machines, and those
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
     * Renews the lease on the run measured now; a cancel asked through another server (or the database) stops it, and
     * a run given up meanwhile (the lease lapsed while the database was away) is stopped without writing anything.
     */
    private void renew() {
        ProgressTracker.Active now = tracker.activeRun();
        if (now == null) return;
        try {
            switch (store.renew(now.run.id(), holder, lease)) {
                case HELD -> { }
                case CANCEL -> now.measurer.cancel();
                case LOST -> {
                    now.lost = true;
                    now.measurer.cancel();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not renew the lease on run {}: {}", now.run.id(), e.toString());
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
                    execute(next.get());
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

    /** Measures one claimed run to its end. */
    void execute(QueuedRun run) throws InterruptedException {
        ProgressTracker.Active now = tracker.begin(run, measurers.get());
        int limitSeconds = run.runTimeoutSeconds() > 0 ? run.runTimeoutSeconds() : RequestChecker.DEFAULT_RUN_TIMEOUT_SECONDS;
        ScheduledFuture<?> limit = limits.schedule(() -> {
            now.limitExceeded = true;
            now.measurer.cancel();
        }, limitSeconds, limitUnit);
        try {
            RunSpec spec = Json.MAPPER.readValue(run.specJson(), RunSpec.class);
            RunDocument doc = now.measurer.measure(run.documentId(), target(run), spec, listener(now));
            if (!store.finish(run.id(), doc, Json.MAPPER.writeValueAsString(doc))) {
                LOG.warn("run {} finished, but it was no longer running; its document was not stored", run.id());
            }
        } catch (ForkRunner.CancelledException e) {
            if (now.lost) {
                LOG.warn("run {} was given up while it measured (its lease lapsed); it stopped without a result", run.id());
            } else if (closed) {
                store.end(run.id(), RunStatus.INTERRUPTED, INTERRUPTED_MESSAGE);
            } else if (now.limitExceeded) {
                store.end(run.id(), RunStatus.FAILED, "did not finish within the run limit of " + limitSeconds
                        + " s; the worker was killed; finished cells are kept");
            } else {
                store.end(run.id(), RunStatus.CANCELLED, "cancelled while running; finished cells are kept");
            }
        } catch (ForkRunner.WorkerFailedException e) {
            store.end(run.id(), RunStatus.FAILED, e.getMessage());
        } catch (InterruptedException e) {
            now.measurer.cancel();
            store.end(run.id(), RunStatus.INTERRUPTED, INTERRUPTED_MESSAGE);
            throw e;
        } catch (Exception e) {
            LOG.error("run {} failed", run.id(), e);
            store.end(run.id(), RunStatus.FAILED, "the lab failed to run it: " + e);
        } finally {
            limit.cancel(false);
            tracker.end(now);
        }
    }

    private Target target(QueuedRun run) throws ForkRunner.WorkerFailedException {
        if (dev.conlab.bench.Vocabulary.PYTHON.equals(run.runtime())) {
            try {
                return Pythons.discover().select(List.of(run.jdkHome())).get(0);
            } catch (InvalidSpecException e) {
                throw new ForkRunner.WorkerFailedException("the run's Python interpreter " + run.jdkHome() + " is no longer installed");
            }
        }
        for (Jdk jdk : jdks.all()) if (jdk.home().toString().equals(run.jdkHome())) return jdk;
        try {
            return jdks.select(List.of(run.jdkHome())).get(0);
        } catch (InvalidSpecException e) {
            throw new ForkRunner.WorkerFailedException("the run's JDK " + run.jdkHome() + " is no longer installed");
        }
    }

    private ForkRunner.Listener listener(ProgressTracker.Active now) {
        long runId = now.run.id();
        return new ForkRunner.Listener() {
            @Override
            public void started(Target target, MachineInfo machine, JvmInfo jvm, PythonInfo python) {
                store.started(runId, machine, jvm, python);
            }

            @Override
            public void cellStarted(int index, String workload, String model) {
                now.cellStarted(index, workload, model);
            }

            @Override
            public void iteration(int index, String phase, int iteration, int of) {
                now.iteration(phase, iteration, of);
            }

            @Override
            public void cellFinished(int index, CellResult result) {
                store.cellFinished(runId, index, result);
                now.cellFinished();
            }
        };
    }

    /**
     * Stops the run being measured now, if it is this one: kills its worker tree and waits (up to 10 s) until the run
     * has ended. False when this runner is not measuring it.
     */
    boolean stop(long runId) throws InterruptedException {
        ProgressTracker.Active now = tracker.active(runId);
        if (now == null) return false;
        now.measurer.cancel();
        now.ended.await(10, TimeUnit.SECONDS);
        return true;
    }

    /** Stops the loop; a run being measured is stopped and ends interrupted. */
    @Override
    public void close() {
        closed = true;
        ProgressTracker.Active now = tracker.activeRun();
        if (now != null) now.measurer.cancel();
        if (thread != null) thread.interrupt();
        limits.shutdownNow();
    }
}
