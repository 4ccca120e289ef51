package dev.conlab.server.queue;

import dev.conlab.bench.Json;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunRequest;
import dev.conlab.bench.Vocabulary;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.bench.fork.Python;
import dev.conlab.bench.harness.Probe;
import dev.conlab.db.AgentStore;
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
 * The server's run queue: requests are checked like {@code conlab run} and stored as {@code queued} runs, one per
 * (machine, JDK or interpreter) — this host's, measured one at a time by the {@link Runner}, or another machine's, taken
 * by its agent; cancel and retry follow the rules of {@link RunStatus}; a run whose lease lapses (its agent or server
 * died) is interrupted by the sweeper. The HTTP API and the dashboard's form both go through here, and get
 * {@link QueueEntry}s back.
 */
public final class RunQueue implements AutoCloseable {

    /** How long a holder's lease on a running run lasts unless renewed: the default of {@code --lease-seconds}. */
    public static final java.time.Duration DEFAULT_LEASE = java.time.Duration.ofSeconds(30);

    private final QueueStore store;
    private final AgentStore agents;
    private final JdkCatalog jdks;
    private final long hostId;
    private final java.time.Duration lease;
    private final RequestChecker checker;
    private final ProgressTracker tracker = new ProgressTracker();
    private final Runner runner;
    private final java.util.concurrent.ScheduledExecutorService sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conlab-lease-sweeper");
        t.setDaemon(true);
        return t;
    });
    private volatile java.util.function.LongConsumer onQueued = machine -> { };

    public RunQueue(QueueStore store, AgentStore agents, JdkCatalog jdks, MachineInfo host, Supplier<Measurer> measurers,
                    java.time.Duration lease) {
        this(store, agents, jdks, host, measurers, lease, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** @param limitUnit the unit of the runs' limits (tests use milliseconds) */
    RunQueue(QueueStore store, AgentStore agents, JdkCatalog jdks, MachineInfo host, Supplier<Measurer> measurers,
             java.time.Duration lease, java.util.concurrent.TimeUnit limitUnit) {
        this.store = store;
        this.agents = agents;
        this.jdks = jdks;
        this.hostId = store.machineId(host);
        this.lease = lease;
        this.checker = new RequestChecker(jdks);
        this.runner = new Runner(store, hostId, lease, jdks, measurers, tracker, limitUnit);
    }

    /** The queue of this host, with the JDKs found on it, measuring in forked worker JVMs. */
    public static RunQueue onThisHost(QueueStore store, AgentStore agents, java.time.Duration lease) {
        return new RunQueue(store, agents, JdkCatalog.discover(), Probe.machine(), Measurer.onThisHost(), lease);
    }

    /**
     * Starts the runner (runs a crash of this server left {@code running} become {@code interrupted} first), gives the
     * agents' running runs a fresh lease (they could not renew while this server was away), and starts the sweeper
     * that interrupts runs whose lease lapsed.
     */
    public void start() {
        store.extendAgentLeases(lease);
        runner.start();
        long every = Math.max(200, lease.toMillis() / 6);
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            for (long id : store.expireLeases()) tracker.forget(id);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RunQueue.class).warn("the lease sweeper failed; it tries again: {}", e.toString());
        }
    }

    public JdkCatalog jdks() {
        return jdks;
    }

    /** This host's machine id: runs queued for it are measured by this server's runner. */
    public long hostId() {
        return hostId;
    }

    public java.time.Duration lease() {
        return lease;
    }

    /** Called with the target machine's id whenever a run is queued (the fleet wakes that machine's waiting agent). */
    public void onQueued(java.util.function.LongConsumer listener) {
        this.onQueued = listener;
    }

    /** An agent's heartbeat said how far its run is: the queue panel shows it like the host's own. */
    public void agentProgress(long runId, Progress.CurrentCell cell, double elapsedSeconds, Double estimateSeconds, Long workerPid) {
        tracker.remote(runId, new ProgressTracker.Remote(cell, elapsedSeconds, estimateSeconds, workerPid));
    }

    /** The run ended (or was lost): forget what its agent said of it. */
    public void agentDone(long runId) {
        tracker.forget(runId);
    }

    /** Checks a request and queues one run per JDK on this host. */
    public List<QueueEntry> enqueue(RunRequest request) {
        return enqueue(request, List.of());
    }

    /** A machine a run may be queued for: this host, or a machine with an agent (its JDKs and interpreters as it reported them). */
    private record TargetMachine(long id, String label, RequestChecker checker) {
    }

    /**
     * Checks a request and queues one run per (machine, JDK or interpreter). {@code machines} holds machine ids or
     * names — this host's or those of machines with an agent — or {@code all}: this host and every machine whose agent is
     * online, each with the JDKs it has of those asked for. Empty means this host. Every plan is checked before any run
     * is stored: a refusal stores nothing.
     *
     * @return the queued runs, machine by machine in the order given, JDKs in their order
     * @throws LabException.Invalid with a sentence naming the valid choices
     */
    public List<QueueEntry> enqueue(RunRequest request, List<String> machines) {
        boolean all = machines.stream().anyMatch(m -> m != null && m.trim().equals("all"));
        var planned = new ArrayList<java.util.Map.Entry<TargetMachine, RequestChecker.Planned>>();
        LabException.Invalid firstRefusal = null;
        for (TargetMachine target : targets(machines)) {
            try {
                for (RequestChecker.Planned p : target.checker().check(request)) planned.add(java.util.Map.entry(target, p));
            } catch (LabException.Invalid e) {
                if (!all) throw machines.isEmpty() ? e : new LabException.Invalid(target.label() + ": " + e.getMessage());
                if (firstRefusal == null) firstRefusal = new LabException.Invalid(target.label() + ": " + e.getMessage());
            }
        }
        if (planned.isEmpty()) {
            throw firstRefusal != null ? firstRefusal : new LabException.Invalid("no machine to measure on");
        }
        var entries = new ArrayList<QueueEntry>();
        // the runs of one request are one sitting; an interleaved one is measured as one job per machine
        String sitting = java.util.UUID.randomUUID().toString();
        for (var e : planned) {
            RequestChecker.Planned p = e.getValue();
            QueueStore.NewRun run = p.target() instanceof Python python
                    ? new QueueStore.NewRun(p.spec().suite(), 0, python.info().version(), python.info().implementation(),
                            python.executable().toString(), json(p.spec()), p.spec().cells().size(), p.runTimeoutSeconds(), null,
                            Vocabulary.PYTHON, sitting)
                    : new QueueStore.NewRun(p.spec().suite(), ((Jdk) p.target()).feature(), ((Jdk) p.target()).version(),
                            ((Jdk) p.target()).vendor(), ((Jdk) p.target()).home().toString(), json(p.spec()), p.spec().cells().size(),
                            p.runTimeoutSeconds(), null, Vocabulary.JVM, sitting);
            long id = store.enqueue(e.getKey().id(), run);
            entries.add(entry(id));
        }
        planned.stream().map(e -> e.getKey().id()).distinct().forEach(this::queued);
        return entries;
    }

    private void queued(long machineId) {
        if (machineId == hostId) runner.wake();
        else onQueued.accept(machineId);
    }

    /** Whether an agent was heard from recently enough to count as online. */
    public static boolean online(AgentStore.Agent agent) {
        return agent.lastSeen() != null && agent.lastSeen().isAfter(OffsetDateTime.now(ZoneOffset.UTC).minus(Fleetwide.OFFLINE_AFTER));
    }

    private List<TargetMachine> targets(List<String> selectors) {
        var host = new TargetMachine(hostId, "this host", checker);
        if (selectors.isEmpty()) return List.of(host);
        List<AgentStore.Agent> known = agents.all();
        var chosen = new java.util.LinkedHashMap<Long, TargetMachine>();
        for (String s : selectors) {
            String selector = s == null ? "" : s.trim();
            if (selector.equals("all")) {
                chosen.putIfAbsent(hostId, host);
                for (AgentStore.Agent a : known) if (online(a) && a.machineId() != hostId) chosen.putIfAbsent(a.machineId(), agentTarget(a));
                continue;
            }
            if (selector.equals(String.valueOf(hostId)) || selector.equals("host")) {
                chosen.putIfAbsent(hostId, host);
                continue;
            }
            AgentStore.Agent agent = known.stream().filter(a -> String.valueOf(a.machineId()).equals(selector) || a.machineLabel().equals(selector))
                    .findFirst().orElse(null);
            if (agent == null) {
                throw new LabException.Invalid("unknown machine '" + selector + "': use all, host (this server's machine, id " + hostId
                        + ") or the id or name of a machine with an agent" + (known.isEmpty() ? " (none has registered; start one with "
                        + "conlab agent --server URL --token T)" : ": " + String.join(", ", known.stream()
                        .map(a -> a.machineId() + " " + a.machineLabel() + (online(a) ? "" : " (offline)")).toList())));
            }
            chosen.putIfAbsent(agent.machineId(), agent.machineId() == hostId ? host : agentTarget(agent));
        }
        return List.copyOf(chosen.values());
    }

    private static TargetMachine agentTarget(AgentStore.Agent agent) {
        AgentRuntimes found = AgentRuntimes.parse(agent.runtimesJson());
        return new TargetMachine(agent.machineId(), agent.machineLabel(), new RequestChecker(found.jdkCatalog(), found::pythonCatalog));
    }

    /**
     * Queues a failed, cancelled or interrupted run again as a new run with the same plan, JDK and machine.
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
        long target = run.targetMachineId() == null ? hostId : run.targetMachineId();
        if (target == hostId && (run.jdkHome() == null
                || !Files.isExecutable(python ? Path.of(run.jdkHome()) : Path.of(run.jdkHome(), "bin", "java")))) {
            throw new LabException.Conflict("run " + runId + "'s " + (python ? "Python interpreter" : "JDK") + " (" + run.jdkHome()
                    + ") is no longer installed; queue a new run");
        }
        long id = store.enqueue(target, new QueueStore.NewRun(run.suite(), run.jdkFeature(), run.jdkVersion(), run.jdkVendor(),
                run.jdkHome(), run.specJson(), run.cellsTotal(), run.runTimeoutSeconds(), runId, run.runtime()));
        queued(target);
        return entry(id);
    }

    /**
     * Cancels a queued run, or stops a running one. On this host's runner its worker and every process the worker started
     * are killed before this returns; a run measured elsewhere (by an agent, or by another server on the same database)
     * is {@code cancelling} until its holder learns of the cancel at its next heartbeat and confirms. Finished cells stay.
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
            if (run.status() != RunStatus.QUEUED && store.requestCancel(runId)) return entry(runId);
            Thread.sleep(50); // it started or ended between our reads: look again
        }
        throw new LabException.Conflict("run " + runId + " changed state while it was being cancelled; try again");
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
        return now == null ? Optional.empty() : Optional.ofNullable(now.execution.workerPid());
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

    /** Stops the runner and the sweeper; a run being measured here ends {@code interrupted}. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        runner.close();
    }
}
