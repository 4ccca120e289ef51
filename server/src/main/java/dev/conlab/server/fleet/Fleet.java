package dev.conlab.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.db.AgentStore;
import dev.conlab.db.MachineStore;
import dev.conlab.db.QueueStore;
import dev.conlab.db.QueueStore.QueuedRun;
import dev.conlab.db.RunStatus;
import dev.conlab.db.TokenStore;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.Limits;
import dev.conlab.server.core.Problem;
import dev.conlab.server.queue.AgentRuntimes;
import dev.conlab.server.queue.Fleetwide;
import dev.conlab.server.queue.Progress;
import dev.conlab.server.queue.RunQueue;
import dev.conlab.server.runs.DocumentValidator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of the agents: registration (one machine per token), heartbeats that renew the lease on the run an
 * agent measures and carry a cancel back to it, long-polled claims of the runs queued for its machine, and the reports
 * of what it measured — each checked as an upload is, each only for a run its session holds, each idempotent (a report
 * sent again after a lost answer changes nothing).
 */
public final class Fleet implements AutoCloseable {

    private static final int MAX_RUNTIMES = 64;

    private final QueueStore store;
    private final AgentStore agents;
    private final MachineStore machines;
    private final RunQueue queue;
    private final Duration lease;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "conlab-fleet");
        t.setDaemon(true);
        return t;
    });
    /** Per machine: the claims waiting for a run, woken when one is queued for it. */
    private final Map<Long, java.util.Set<Waiter>> waiters = new ConcurrentHashMap<>();

    public Fleet(QueueStore store, AgentStore agents, MachineStore machines, RunQueue queue) {
        this.store = store;
        this.agents = agents;
        this.machines = machines;
        this.queue = queue;
        this.lease = queue.lease();
        queue.onQueued(this::wake);
    }

    private static String holder(String session) {
        return QueueStore.AGENT_HOLDER + session;
    }

    /** How often an agent renews its lease while it measures: six times per lease, at most every 5 s, at least every second. */
    public int heartbeatSeconds() {
        return (int) Math.max(1, Math.min(5, lease.toSeconds() / 6));
    }

    /**
     * Registers the agent of a machine (the machine is stored if it is new) with a new session; runs its previous
     * session held are interrupted, their finished cells kept — an agent that restarts never resumes a run.
     */
    public AgentProtocol.Registered register(TokenStore.Identity token, AgentProtocol.Hello hello) {
        var problems = new ArrayList<Problem>();
        MachineInfo m = hello == null ? null : hello.machine();
        if (m == null) {
            problems.add(new Problem("$.machine", "missing: the agent's machine, as conlab's probe reports it"));
        } else {
            if (m.fingerprint() == null || !m.fingerprint().matches("[0-9a-f]{16}")) {
                problems.add(new Problem("$.machine.fingerprint", "must be the probe's 16 hexadecimal digits"));
            }
            if (!Limits.machineLabel(m.label()) || !text(m.label())) {
                problems.add(new Problem("$.machine.label", "must be a name of " + Limits.MACHINE_LABEL_RULE));
            }
            if (m.hostname() != null && (m.hostname().length() > 255 || !text(m.hostname()))) {
                problems.add(new Problem("$.machine.hostname", "must be at most 255 characters of text"));
            }
            if (m.cpu() != null && m.cpu().model() != null && (m.cpu().model().length() > 255 || !text(m.cpu().model()))) {
                problems.add(new Problem("$.machine.cpu.model", "must be at most 255 characters of text"));
            }
        }
        AgentRuntimes runtimes = hello == null || hello.runtimes() == null ? new AgentRuntimes(List.of(), List.of()) : hello.runtimes();
        if (runtimes.jdks().size() > MAX_RUNTIMES) problems.add(new Problem("$.runtimes.jdks", "at most " + MAX_RUNTIMES + " JDKs"));
        if (runtimes.pythons().size() > MAX_RUNTIMES) problems.add(new Problem("$.runtimes.pythons", "at most " + MAX_RUNTIMES + " interpreters"));
        for (int i = 0; i < runtimes.jdks().size(); i++) {
            var j = runtimes.jdks().get(i);
            if (j == null || j.home() == null || j.home().isBlank() || j.home().length() > 1000 || j.feature() < 1 || j.version() == null) {
                problems.add(new Problem("$.runtimes.jdks[" + i + "]", "needs home (a path), feature (e.g. 25) and version"));
            }
        }
        for (int i = 0; i < runtimes.pythons().size(); i++) {
            var p = runtimes.pythons().get(i);
            if (p == null || p.executable() == null || p.executable().isBlank() || p.info() == null || p.info().version() == null) {
                problems.add(new Problem("$.runtimes.pythons[" + i + "]", "needs executable (a path) and info (the worker's probe)"));
            }
        }
        String version = hello == null ? null : hello.version();
        if (version != null && version.length() > 100) problems.add(new Problem("$.version", "at most 100 characters"));
        if (!problems.isEmpty()) throw new LabException.Invalid("the registration has " + problems.size() + " problem(s)", problems);

        if (machines.machine(queue.hostId()).map(host -> host.fingerprint().equals(m.fingerprint())).orElse(false)) {
            throw new LabException.Conflict("machine '" + m.label() + "' is this server's own host, whose runs the server measures "
                    + "itself; an agent on another machine with equal hardware facts (a clone, a container) needs its own --machine-name");
        }
        // refused before anything is written: a token that belongs to another machine stores no machine
        Optional<Long> known = machines.idOf(m.fingerprint());
        Optional<AgentStore.Agent> ofToken = agents.ofToken(token.id());
        if (ofToken.isPresent() && (known.isEmpty() || ofToken.get().machineId() != known.get())) {
            throw new LabException.Forbidden("this token already belongs to the agent of machine '" + ofToken.get().machineLabel()
                    + "'; create one token per agent (conlab token create --scopes agent)");
        }
        long machineId = store.machineId(m);
        String session = UUID.randomUUID().toString();
        String runtimesJson;
        try {
            runtimesJson = Json.MAPPER.writeValueAsString(runtimes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        AgentStore.Registration registration = agents.register(machineId, token.id(), session, version, runtimesJson);
        if (registration instanceof AgentStore.Registration.MachineTaken taken) {
            throw new LabException.Forbidden("machine '" + m.label() + "' is the agent of another token (" + taken.tokenName()
                    + "); use that token, revoke it, or give this agent its own --machine-name");
        }
        if (registration instanceof AgentStore.Registration.TokenTaken taken) {
            throw new LabException.Forbidden("this token already belongs to the agent of machine '" + taken.machineLabel()
                    + "'; create one token per agent (conlab token create --scopes agent)");
        }
        store.interruptHeld(machineId, QueueStore.AGENT_HOLDER, holder(session),
                "the agent restarted while measuring this run; its finished cells are kept (retry queues it again)");
        String label = machines.machine(machineId).map(MachineStore.Machine::label).orElse(m.label());
        return new AgentProtocol.Registered(machineId, label, session, (int) lease.toSeconds(), heartbeatSeconds(), Fleetwide.POLL_SECONDS);
    }

    /** Text a database can keep: no U+0000, no unpaired surrogate (as uploads are checked). */
    private static boolean text(String value) {
        return DocumentValidator.badText(value) == null;
    }

    /** The agent of this token, for this machine, in this session — or the sentence that says why not. */
    private AgentStore.Agent agent(TokenStore.Identity token, long machineId, String session) {
        AgentStore.Agent agent = agents.ofToken(token.id()).orElseThrow(() -> new LabException.Forbidden(
                "this token has no agent: register first (POST /api/agents)"));
        if (agent.machineId() != machineId) {
            throw new LabException.Forbidden("this token is the agent of machine " + agent.machineId() + " (" + agent.machineLabel()
                    + "), not of machine " + machineId + ": an agent reports only its own machine's runs");
        }
        if (session == null || !session.equals(agent.session())) {
            throw new LabException.Conflict("another agent process registered machine " + machineId + " since this one did (session "
                    + "superseded): this process must stop or register again");
        }
        return agent;
    }

    /**
     * A heartbeat: the agent is alive; with runs (a job: one run, or an interleaved sitting's), their leases are renewed and
     * the answer says whether to go on — the most urgent of the runs' answers.
     */
    public AgentProtocol.Beat heartbeat(TokenStore.Identity token, long machineId, String session, List<Long> runIds,
                                        AgentProtocol.Report report) {
        agent(token, machineId, session);
        agents.seen(machineId, session);
        if (runIds.isEmpty()) return new AgentProtocol.Beat(null);
        AgentProtocol.Lease worst = AgentProtocol.Lease.HELD;
        for (long runId : runIds) {
            AgentProtocol.Lease state = AgentProtocol.Lease.valueOf(store.renew(runId, holder(session), lease).name());
            if (state == AgentProtocol.Lease.LOST) {
                queue.agentDone(runId);
            } else if (report != null) {
                queue.agentProgress(runId, report.cell(), report.elapsedSeconds() == null ? 0 : report.elapsedSeconds(),
                        report.estimateSeconds(), report.workerPid());
            }
            worst = worst.worse(state);
        }
        return new AgentProtocol.Beat(worst);
    }

    /**
     * A claim, long-polled: the oldest run queued for the agent's machine, now held by its session; or, when none comes
     * within {@code waitSeconds}, empty. The wait is woken by a run queued through this server, and looks again every
     * few seconds for runs queued through another server on the same database.
     */
    public CompletableFuture<Optional<AgentProtocol.Claim>> claim(TokenStore.Identity token, long machineId, String session, int waitSeconds) {
        agent(token, machineId, session);
        agents.seen(machineId, session);
        var waiter = new Waiter(machineId, session, System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds));
        attempt(waiter);
        return waiter.result;
    }

    /** A claim that waits: looked at again when a run is queued for its machine, and every 5 s, until its deadline. */
    private final class Waiter implements Runnable {
        final CompletableFuture<Optional<AgentProtocol.Claim>> result = new CompletableFuture<>();
        final long machineId;
        final String session;
        final long deadline;
        java.util.concurrent.ScheduledFuture<?> recheck;

        Waiter(long machineId, String session, long deadline) {
            this.machineId = machineId;
            this.session = session;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            attempt(this);
        }
    }

    private void attempt(Waiter w) {
        synchronized (w) {
            if (w.result.isDone()) return;
            if (w.recheck != null) w.recheck.cancel(false);
            var waiting = waiting(w.machineId);
            waiting.add(w); // before the look, so that a run queued after it wakes this claim
            try {
                Optional<QueuedRun> run = store.claimNext(w.machineId, holder(w.session), lease);
                long left = w.deadline - System.nanoTime();
                if (run.isPresent() || left <= 0) {
                    waiting.remove(w);
                    w.result.complete(run.map(r -> claim(r, sittingOf(r, w))));
                    return;
                }
                w.recheck = timer.schedule(w, Math.min(left, TimeUnit.SECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                waiting.remove(w);
                w.result.completeExceptionally(e);
            }
        }
    }

    private java.util.Set<Waiter> waiting(long machineId) {
        return waiters.computeIfAbsent(machineId, id -> ConcurrentHashMap.newKeySet());
    }

    private void wake(long machineId) {
        for (Waiter w : waiters.getOrDefault(machineId, java.util.Set.of())) timer.execute(w);
    }

    /** The rest of a claimed run's interleaved sitting on this machine, claimed with it under the same session. */
    private List<QueuedRun> sittingOf(QueuedRun run, Waiter w) {
        if (run.sitting() == null) return List.of();
        try {
            if (!Json.MAPPER.readValue(run.specJson(), RunSpec.class).settings().interleaved()) return List.of();
        } catch (java.io.IOException e) {
            return List.of();
        }
        return store.claimSitting(w.machineId, run.sitting(), run.id(), holder(w.session), lease);
    }

    private static AgentProtocol.Claim claim(QueuedRun run, List<QueuedRun> together) {
        try {
            return new AgentProtocol.Claim(run.id(), run.documentId(), run.runtime(), run.jdkHome(), run.runTimeoutSeconds(), run.cellsTotal(),
                    Json.MAPPER.readTree(run.specJson()), run.sitting(), together.stream().map(r -> claim(r, List.of())).toList());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("run " + run.id() + " has an unreadable plan", e);
        }
    }

    /** The run, held by this session — or the refusal that tells the agent to stop measuring it. */
    private QueuedRun held(long machineId, String session, long runId) {
        QueuedRun run = store.get(runId).orElseThrow(() -> new LabException.NotFound("no run " + runId));
        if (run.targetMachineId() == null || run.targetMachineId() != machineId) {
            throw new LabException.Forbidden("run " + runId + " is not queued for machine " + machineId + ": an agent reports only its own machine's runs");
        }
        if (!store.heldBy(runId, holder(session))) {
            throw new LabException.Conflict("run " + runId + " is " + run.status() + " and no longer held by this agent"
                    + (run.error() == null ? "" : " (" + run.error() + ")") + ": stop measuring it");
        }
        return run;
    }

    private void sameMachine(long machineId, MachineInfo reported, String path) {
        String fingerprint = machines.machine(machineId).map(MachineStore.Machine::fingerprint).orElse(null);
        if (reported == null || !java.util.Objects.equals(reported.fingerprint(), fingerprint)) {
            throw new LabException.Forbidden(path + " is not the agent's machine (fingerprint " + (reported == null ? "missing" : reported.fingerprint())
                    + ", registered " + fingerprint + "): an agent writes only its own machine's results");
        }
    }

    /**
     * A report a restarted agent owed from before its restart, for a run of its machine that its absence ended (its new
     * registration, or its lease, made it {@code interrupted}; or a cancel, {@code cancelled}): accepted although no
     * session of this agent holds the run any more. A run still held, by this session, is the ordinary case.
     */
    private QueuedRun heldOrOwed(long machineId, String session, long runId, boolean owed) {
        if (!owed) return held(machineId, session, runId);
        QueuedRun run = store.get(runId).orElseThrow(() -> new LabException.NotFound("no run " + runId));
        if (run.targetMachineId() == null || run.targetMachineId() != machineId) {
            throw new LabException.Forbidden("run " + runId + " is not queued for machine " + machineId + ": an agent reports only its own machine's runs");
        }
        if (run.status() == RunStatus.INTERRUPTED || run.status() == RunStatus.CANCELLED || store.heldBy(runId, holder(session))) return run;
        throw new LabException.Conflict("run " + runId + " is " + run.status() + ": a report owed from before the agent's restart is "
                + "taken only for a run that ended interrupted or cancelled");
    }

    /** The agent's worker said hello: its machine and JVM (or interpreter) become the run's. */
    public void started(TokenStore.Identity token, long machineId, String session, long runId, boolean owed, MachineInfo machine,
                        JvmInfo jvm, PythonInfo python) {
        agent(token, machineId, session);
        heldOrOwed(machineId, session, runId, owed);
        sameMachine(machineId, machine, "$.machine");
        if (jvm == null && python == null) throw new LabException.Invalid("send the worker's jvm (or python) block");
        store.started(runId, machine, jvm, python);
    }

    /** A cell finished on the agent: stored (or stored again, the same) at its position; owed, see {@link #heldOrOwed}. */
    public void cell(TokenStore.Identity token, long machineId, String session, long runId, boolean owed, int position, JsonNode body) {
        agent(token, machineId, session);
        QueuedRun run = heldOrOwed(machineId, session, runId, owed);
        RunSpec spec;
        try {
            spec = Json.MAPPER.readValue(run.specJson(), RunSpec.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        if (position < 0 || position >= spec.cells().size()) {
            throw new LabException.Invalid("cell " + position + " is not in run " + runId + ": its cells are 0 to " + (spec.cells().size() - 1));
        }
        DocumentValidator.CellCheck check = DocumentValidator.validateCell(body, "$");
        if (!check.problems().isEmpty()) throw new LabException.Invalid("the cell has " + check.problems().size() + " problem(s)", check.problems());
        CellSpec planned = spec.cells().get(position);
        if (!planned.workload().equals(check.cell().workload()) || !planned.model().equals(check.cell().model())) {
            throw new LabException.Invalid("cell " + position + " of run " + runId + " is " + planned.workload() + " × " + planned.model()
                    + ", not " + check.cell().workload() + " × " + check.cell().model());
        }
        store.cellFinished(runId, position, check.cell());
    }

    /**
     * The agent's run finished: its document (checked as an upload is) is stored and the run is done. Sent again after a
     * lost answer it changes nothing; a run the server gave up meanwhile is refused with 409 and keeps its state — unless
     * the document was owed from before the agent's restart and the run ended {@code interrupted} by it: then it is done.
     */
    public void finish(TokenStore.Identity token, long machineId, String session, long runId, boolean owed, String documentJson) {
        agent(token, machineId, session);
        QueuedRun run = store.get(runId).orElseThrow(() -> new LabException.NotFound("no run " + runId));
        DocumentValidator.Result result = DocumentValidator.validate(documentJson);
        if (!result.valid()) throw new LabException.Invalid("the result document has " + result.problems().size() + " problem(s)", result.problems());
        RunDocument doc = result.document();
        if (run.status() == RunStatus.DONE && run.documentId().equals(doc.id()) && machineId == (run.targetMachineId() == null ? -1 : run.targetMachineId())) {
            return; // stored already: the answer was lost, the agent sent it again
        }
        QueuedRun current = heldOrOwed(machineId, session, runId, owed);
        if (!run.documentId().equals(doc.id())) {
            throw new LabException.Invalid("the document's id " + doc.id() + " is not run " + runId + "'s (" + run.documentId() + ")");
        }
        sameMachine(machineId, doc.machine(), "$.machine");
        RunStatus from = current.status() == RunStatus.INTERRUPTED ? RunStatus.INTERRUPTED : RunStatus.RUNNING;
        if (!store.finish(runId, doc, documentJson, from)) {
            throw new LabException.Conflict("run " + runId + " is no longer running; its document was not stored: stop measuring it");
        }
        queue.agentDone(runId);
    }

    /** The agent's run ended without a document: {@code failed} (with why) or {@code cancelled} (it obeyed a cancel). */
    public void end(TokenStore.Identity token, long machineId, String session, long runId, boolean owed, AgentProtocol.Ending ending,
                    String error) {
        agent(token, machineId, session);
        RunStatus status = ending == AgentProtocol.Ending.CANCELLED ? RunStatus.CANCELLED : RunStatus.FAILED;
        QueuedRun run = store.get(runId).orElseThrow(() -> new LabException.NotFound("no run " + runId));
        if (run.status() == status && run.targetMachineId() != null && run.targetMachineId() == machineId) return; // sent again
        QueuedRun current = heldOrOwed(machineId, session, runId, owed);
        String why = status == RunStatus.CANCELLED ? "cancelled while running on its agent; finished cells are kept"
                : error == null || error.isBlank() ? "failed on its agent" : error;
        store.end(runId, status, why, current.status() == RunStatus.INTERRUPTED);
        queue.agentDone(runId);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
