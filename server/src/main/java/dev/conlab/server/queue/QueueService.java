package dev.conlab.server.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.Probe;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunPlanner;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.db.QueueStore;
import dev.conlab.db.QueueStore.QueuedRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server's run queue. Requests are checked like {@code conlab run} and stored as {@code queued} runs
 * (one per JDK); one runner thread takes the oldest and measures it in forked worker JVMs through the same
 * {@link ForkRunner} as the CLI — one run at a time, so that benchmarks do not disturb each other. Cells
 * are stored as they finish. The HTTP API and the dashboard's form both go through this class.
 */
public final class QueueService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueService.class);
    /** The per-run limit when a request names none, and the most a request may ask for. */
    public static final int DEFAULT_RUN_TIMEOUT_SECONDS = 6 * 3600;
    public static final int MAX_RUN_TIMEOUT_SECONDS = 7 * 24 * 3600;

    /** What to measure; null fields take the suite's defaults (as in {@code conlab run}). */
    public record Request(String suite, List<String> workloads, List<String> models, List<String> jdks, Integer warmups,
                          Integer iterations, Integer forks, Integer cellTimeoutSeconds, Integer runTimeoutSeconds,
                          Map<String, String> params) {
        public Request {
            workloads = workloads == null ? List.of() : List.copyOf(workloads);
            models = models == null ? List.of() : List.copyOf(models);
            jdks = jdks == null ? List.of() : List.copyOf(jdks);
            params = params == null ? Map.of() : Map.copyOf(params);
        }
    }

    /** Settings of the runner: the workers' classpath and {@code -D} properties (tests add fixtures). */
    public record WorkerConfig(String classpath, List<String> systemProperties) {
        public static WorkerConfig standard() {
            String extraClasspath = System.getProperty("conlab.workerClasspath");
            String classpath = ForkRunner.benchClasspath()
                    + (extraClasspath == null || extraClasspath.isBlank() ? "" : java.io.File.pathSeparator + extraClasspath);
            var properties = new ArrayList<String>();
            String extraWorkloads = System.getProperty("conlab.extraWorkloads");
            if (extraWorkloads != null) properties.add("-Dconlab.extraWorkloads=" + extraWorkloads);
            return new WorkerConfig(classpath, properties);
        }
    }

    /** The run being measured now. */
    private static final class Active {
        final QueuedRun run;
        final ForkRunner runner;
        final long startNanos = System.nanoTime();
        final CountDownLatch ended = new CountDownLatch(1);
        final Map<Integer, CellResult> pooled = new ConcurrentHashMap<>();
        volatile boolean limitExceeded;
        volatile Integer cellIndex;
        volatile String workload;
        volatile String model;
        volatile String phase;
        volatile int iteration;
        volatile int iterations;
        volatile long cellStartNanos;
        volatile int cellsFinished;
        volatile long finishedCellsNanos;

        Active(QueuedRun run, ForkRunner runner) {
            this.run = run;
            this.runner = runner;
        }
    }

    private final QueueStore store;
    private final JdkCatalog jdks;
    private final MachineInfo host;
    private final WorkerConfig workers;
    private final Object signal = new Object();
    private final ScheduledExecutorService limits = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conlab-run-limit");
        t.setDaemon(true);
        return t;
    });
    private volatile Active active;
    private volatile boolean closed;
    private Thread runnerThread;

    public QueueService(QueueStore store, JdkCatalog jdks, MachineInfo host, WorkerConfig workers) {
        this.store = store;
        this.jdks = jdks;
        this.host = host;
        this.workers = workers;
    }

    /** The queue of this host, with the JDKs found on it. */
    public static QueueService onThisHost(QueueStore store) {
        return new QueueService(store, JdkCatalog.discover(), Probe.machine(), WorkerConfig.standard());
    }

    /**
     * Starts the runner: runs a crash left {@code running} become {@code interrupted} (their finished cells
     * kept), then queued runs are taken oldest first.
     */
    public synchronized void start() {
        if (runnerThread != null) return;
        int interrupted = store.interruptRunning();
        if (interrupted > 0) LOG.warn("{} run(s) were running when the server stopped; they are now interrupted", interrupted);
        runnerThread = new Thread(this::loop, "conlab-runner");
        runnerThread.setDaemon(true);
        runnerThread.start();
    }

    public JdkCatalog jdks() {
        return jdks;
    }

    /**
     * Checks a request and queues one run per JDK.
     *
     * @return the queued runs' ids, in the order of the JDKs
     * @throws InvalidSpecException with a sentence naming the valid choices
     */
    public List<Long> enqueue(Request request) {
        RunSpec spec = RunPlanner.plan(request.suite(), request.workloads(), request.models(), request.params(),
                request.warmups(), request.iterations(), request.forks(), request.cellTimeoutSeconds());
        int runTimeout = request.runTimeoutSeconds() == null ? DEFAULT_RUN_TIMEOUT_SECONDS : request.runTimeoutSeconds();
        if (runTimeout < 10 || runTimeout > MAX_RUN_TIMEOUT_SECONDS) {
            throw new InvalidSpecException("run timeout must be 10 to " + MAX_RUN_TIMEOUT_SECONDS + " seconds, not " + runTimeout);
        }
        List<Jdk> chosen = chooseJdks(request.jdks());
        String specJson = json(spec);
        var ids = new ArrayList<Long>();
        for (Jdk jdk : chosen) {
            ids.add(store.enqueue(host, new QueueStore.NewRun(spec.suite(), jdk.feature(), jdk.version(), jdk.vendor(),
                    jdk.home().toString(), specJson, spec.cells().size(), runTimeout, null)));
        }
        wake();
        return ids;
    }

    /** Over HTTP a JDK is {@code all}, a feature version or the folder of a JDK found on this host: never any other path. */
    private List<Jdk> chooseJdks(List<String> selectors) {
        for (String s : selectors) {
            String selector = s == null ? "" : s.trim();
            boolean known = selector.equals("all") || selector.matches("\\d{1,4}")
                    || jdks.all().stream().anyMatch(j -> j.home().toString().equals(selector));
            if (!known) {
                throw new InvalidSpecException("unknown JDK '" + selector + "': use all, a feature version or the folder of an "
                        + "installed JDK; installed: " + jdks.describe());
            }
        }
        return jdks.select(selectors);
    }

    /**
     * Re-queues a failed, cancelled or interrupted run as a new run with the same plan and JDK.
     *
     * @return the new run's id
     * @throws NoSuchRunException when there is no such run
     * @throws IllegalStateException with a sentence when the run cannot be retried
     */
    public long retry(long runId) {
        QueuedRun run = store.get(runId).orElseThrow(() -> new NoSuchRunException(runId));
        if (run.specJson() == null) {
            throw new IllegalStateException("run " + runId + " was uploaded, not queued here: there is no plan to run again");
        }
        if (!List.of(QueueStore.FAILED, QueueStore.CANCELLED, QueueStore.INTERRUPTED).contains(run.status())) {
            throw new IllegalStateException("run " + runId + " is " + run.status()
                    + "; only failed, cancelled or interrupted runs can be retried (queue a new run instead)");
        }
        if (run.jdkHome() == null || !Files.isExecutable(Path.of(run.jdkHome(), "bin", "java"))) {
            throw new IllegalStateException("run " + runId + "'s JDK (" + run.jdkHome() + ") is no longer installed; queue a new run");
        }
        long id = store.enqueue(host, new QueueStore.NewRun(run.suite(), run.jdkFeature(), run.jdkVersion(), null,
                run.jdkHome(), run.specJson(), run.cellsTotal(), run.runTimeoutSeconds(), runId));
        wake();
        return id;
    }

    /**
     * Cancels a queued run, or stops a running one: its worker JVM and every process the worker started are
     * killed before this returns; finished cells stay.
     *
     * @return the run as it is now
     */
    public QueuedRun cancel(long runId) throws InterruptedException {
        for (int attempt = 0; attempt < 3; attempt++) {
            QueuedRun run = store.get(runId).orElseThrow(() -> new NoSuchRunException(runId));
            if (run.status().equals(QueueStore.QUEUED) && store.end(runId, QueueStore.CANCELLED, "cancelled before it started")) {
                return store.get(runId).orElseThrow();
            }
            Active now = active;
            if (now != null && now.run.id() == runId) {
                now.runner.cancel(); // kills the worker tree and waits for it
                now.ended.await(10, TimeUnit.SECONDS);
                return store.get(runId).orElseThrow();
            }
            run = store.get(runId).orElseThrow();
            if (!run.status().equals(QueueStore.QUEUED) && !run.status().equals(QueueStore.RUNNING)) {
                throw new IllegalStateException("run " + runId + " is " + run.status() + "; only queued or running runs can be cancelled");
            }
            Thread.sleep(50); // it started or ended between our reads: look again
        }
        throw new IllegalStateException("run " + runId + " is running, but not in this server's runner (another server on the same "
                + "database?); cancel it where it runs");
    }

    /** Queued and running runs, oldest first, each with its progress. */
    public List<Map<String, Object>> queue() {
        var list = new ArrayList<Map<String, Object>>();
        for (QueuedRun run : store.active()) list.add(describe(run));
        return list;
    }

    /** Runs of the queue that ended in the last {@code minutes} minutes, newest first, with their (final) progress. */
    public List<Map<String, Object>> recentlyEnded(int minutes) {
        var list = new ArrayList<Map<String, Object>>();
        var since = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(minutes);
        for (QueuedRun run : store.endedSince(since, 5)) list.add(describe(run));
        return list;
    }

    /** A run of the queue with its progress; empty when there is no such run. */
    public Optional<Map<String, Object>> status(long runId) {
        return store.get(runId).map(this::describe);
    }

    /** The worker JVM measuring {@code runId} now, if any (tests check that cancelling kills it). */
    public Optional<Long> workerPid(long runId) {
        Active now = active;
        if (now == null || now.run.id() != runId) return Optional.empty();
        return Optional.ofNullable(now.runner.currentPid());
    }

    private Map<String, Object> describe(QueuedRun run) {
        var map = new LinkedHashMap<String, Object>();
        map.put("id", run.id());
        map.put("status", run.status());
        map.put("suite", run.suite());
        map.put("jdkFeature", run.jdkFeature());
        map.put("jdkVersion", run.jdkVersion());
        map.put("createdAt", run.createdAt());
        map.put("startedAt", run.startedAt());
        map.put("finishedAt", run.finishedAt());
        map.put("error", run.error());
        map.put("retryOf", run.retryOf());
        map.put("url", "/api/runs/" + run.id());
        map.put("progress", progress(run));
        return map;
    }

    /** Cells done / total, the current cell, elapsed time and an estimate of the rest (mean time of the finished cells). */
    private Map<String, Object> progress(QueuedRun run) {
        var p = new LinkedHashMap<String, Object>();
        p.put("cellsDone", run.cellsDone());
        p.put("cellsTotal", run.cellsTotal());
        Active now = active;
        if (now == null || now.run.id() != run.id() || !run.status().equals(QueueStore.RUNNING)) {
            p.put("fraction", run.cellsTotal() == 0 ? 0.0 : Math.min(1.0, run.cellsDone() / (double) run.cellsTotal()));
            return p;
        }
        long nanos = System.nanoTime();
        double elapsed = (nanos - now.startNanos) / 1e9;
        int done = now.cellsFinished;
        double fraction = done;
        if (now.cellIndex != null && now.iterations > 0) fraction += Math.min(0.99, now.iteration / (double) (now.iterations + 1));
        p.put("fraction", run.cellsTotal() == 0 ? 0.0 : Math.min(1.0, fraction / run.cellsTotal()));
        p.put("elapsedSeconds", Math.round(elapsed * 10) / 10.0);
        if (done > 0) {
            double perCell = now.finishedCellsNanos / 1e9 / done;
            int forks = Math.max(1, forks(run));
            int left = run.cellsTotal() * forks - done;
            double current = now.cellIndex == null ? 0 : (nanos - now.cellStartNanos) / 1e9;
            p.put("estimateSeconds", Math.max(0, Math.round((left * perCell - current) * 10) / 10.0));
        } else {
            p.put("estimateSeconds", null);
        }
        if (now.cellIndex != null) {
            var cell = new LinkedHashMap<String, Object>();
            cell.put("index", now.cellIndex);
            cell.put("workload", now.workload);
            cell.put("model", now.model);
            cell.put("phase", now.phase);
            cell.put("iteration", now.iteration);
            cell.put("of", now.iterations);
            p.put("currentCell", cell);
        }
        p.put("workerPid", now.runner.currentPid());
        return p;
    }

    private static int forks(QueuedRun run) {
        try {
            return Json.MAPPER.readValue(run.specJson(), RunSpec.class).settings().forks();
        } catch (Exception e) {
            return 1;
        }
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                Optional<QueuedRun> next = store.claimNext();
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

    private void execute(QueuedRun run) throws InterruptedException {
        Active now = new Active(run, new ForkRunner(workers.classpath(), workers.systemProperties()));
        active = now;
        ScheduledFuture<?> limit = limits.schedule(() -> {
            now.limitExceeded = true;
            now.runner.cancel();
        }, run.runTimeoutSeconds() > 0 ? run.runTimeoutSeconds() : DEFAULT_RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        try {
            RunSpec spec = Json.MAPPER.readValue(run.specJson(), RunSpec.class);
            Jdk jdk = jdk(run);
            RunDocument doc = now.runner.run(run.documentId(), jdk, spec, listener(now));
            if (!store.finish(run.id(), doc, Json.MAPPER.writeValueAsString(doc))) {
                LOG.warn("run {} finished, but it was no longer running; its document was not stored", run.id());
            }
        } catch (ForkRunner.CancelledException e) {
            if (closed) {
                store.end(run.id(), QueueStore.INTERRUPTED, "the server stopped while this run was running; its finished cells are kept");
            } else if (now.limitExceeded) {
                store.end(run.id(), QueueStore.FAILED, "did not finish within the run limit of " + run.runTimeoutSeconds()
                        + " s; the worker was killed; finished cells are kept");
            } else {
                store.end(run.id(), QueueStore.CANCELLED, "cancelled while running; finished cells are kept");
            }
        } catch (ForkRunner.WorkerFailedException e) {
            store.end(run.id(), QueueStore.FAILED, e.getMessage());
        } catch (InterruptedException e) {
            now.runner.cancel();
            store.end(run.id(), QueueStore.INTERRUPTED, "the server stopped while this run was running; its finished cells are kept");
            throw e;
        } catch (Exception e) {
            LOG.error("run {} failed", run.id(), e);
            store.end(run.id(), QueueStore.FAILED, "the lab failed to run it: " + e);
        } finally {
            limit.cancel(false);
            active = null;
            now.ended.countDown();
        }
    }

    private Jdk jdk(QueuedRun run) throws ForkRunner.WorkerFailedException {
        for (Jdk jdk : jdks.all()) if (jdk.home().toString().equals(run.jdkHome())) return jdk;
        try {
            return jdks.select(List.of(run.jdkHome())).get(0);
        } catch (InvalidSpecException e) {
            throw new ForkRunner.WorkerFailedException("the run's JDK " + run.jdkHome() + " is no longer installed");
        }
    }

    private ForkRunner.Listener listener(Active now) {
        long runId = now.run.id();
        return new ForkRunner.Listener() {
            @Override
            public void started(Jdk jdk, MachineInfo machine, JvmInfo jvm) {
                store.started(runId, machine, jvm);
            }

            @Override
            public void cellStarted(int index, String workload, String model) {
                now.cellStartNanos = System.nanoTime();
                now.workload = workload;
                now.model = model;
                now.phase = "starting";
                now.iteration = 0;
                now.iterations = 0;
                now.cellIndex = index;
            }

            @Override
            public void iteration(int index, String phase, int iteration, int of) {
                now.phase = phase;
                now.iteration = iteration;
                now.iterations = of;
            }

            @Override
            public void cellFinished(int index, CellResult result) {
                CellResult cell = now.pooled.merge(index, result, ForkRunner::pool);
                store.cellFinished(runId, index, cell);
                now.finishedCellsNanos += System.nanoTime() - now.cellStartNanos;
                now.cellsFinished++;
                now.cellIndex = null;
            }
        };
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the runner; a running run is stopped and left for {@link #start()} to mark interrupted on the next start. */
    @Override
    public void close() {
        closed = true;
        Active now = active;
        if (now != null) now.runner.cancel();
        if (runnerThread != null) runnerThread.interrupt();
        limits.shutdownNow();
    }

    /** There is no run with this id. */
    public static final class NoSuchRunException extends RuntimeException {
        public NoSuchRunException(long runId) {
            super("no run " + runId + "; GET /api/runs lists them");
        }
    }
}
