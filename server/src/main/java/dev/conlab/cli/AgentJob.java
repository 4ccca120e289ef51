package dev.conlab.cli;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.db.RunStatus;
import dev.conlab.server.fleet.AgentProtocol;
import dev.conlab.server.queue.ClaimedRun;
import dev.conlab.server.queue.Measurer;
import dev.conlab.server.queue.RunExecution;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One job an agent claimed — a run, or the runs of an interleaved sitting — measured through the same {@link RunExecution}
 * as the server's own host. Its reports (started, each cell, each document or end) leave through an outbox on disk that
 * keeps their order, retries while the server is away and outlives the agent's own process ({@link Outbox}); a heartbeat
 * renews the leases and brings a cancel, or the news that the job
 * was given up.
 */
final class AgentJob {

    private final AgentClient client;
    private final List<AgentProtocol.Claim> claims;
    private final int heartbeatSeconds;
    private final Consumer<String> say;
    private final Measurer measurer = Measurer.onThisHost().get();
    private final RunExecution execution;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "conlab-agent-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Outbox outbox;
    private volatile boolean measuring = true;
    /** Reports still owed before the server has every run's last one. */
    private volatile int lastsOwed;
    /** Every run's last report is in the outbox: a "lost" from a heartbeat may only mean the server has them already. */
    private volatile boolean lastsQueued;
    private volatile boolean delivered;

    AgentJob(AgentClient client, AgentProtocol.Claim claim, JdkCatalog jdks, int heartbeatSeconds, Outbox outbox, Consumer<String> say)
            throws IOException {
        this.client = client;
        this.outbox = outbox;
        this.claims = new ArrayList<>(List.of(claim));
        this.claims.addAll(claim.together());
        this.heartbeatSeconds = heartbeatSeconds;
        this.say = say;
        var runs = new ArrayList<ClaimedRun>();
        for (AgentProtocol.Claim c : claims) {
            runs.add(new ClaimedRun(c.id(), c.documentId(), c.runtime(), c.home(), c.runTimeoutSeconds(),
                    Json.MAPPER.treeToValue(c.spec(), RunSpec.class), c.sitting()));
        }
        this.lastsOwed = runs.size();
        this.execution = new RunExecution(runs, measurer, jdks, reporter(), timers, TimeUnit.SECONDS);
    }

    private String describe() {
        return claims.size() == 1 ? "run " + claims.get(0).id() : "runs " + String.join(", ", claims.stream().map(c -> String.valueOf(c.id())).toList());
    }

    void measure() throws InterruptedException {
        int cells = claims.stream().mapToInt(AgentProtocol.Claim::cellsTotal).sum();
        say.accept(describe() + ": " + cells + " cells on " + String.join(", ", claims.stream().map(AgentProtocol.Claim::home).toList())
                + (claims.size() > 1 ? ", interleaved" : ""));
        Thread sender = new Thread(this::send, "conlab-agent-outbox");
        sender.setDaemon(true);
        sender.start();
        timers.scheduleWithFixedDelay(this::heartbeat, 0, heartbeatSeconds, TimeUnit.SECONDS);
        String outcome = execution.execute();
        measuring = false;
        synchronized (outbox) {
            outbox.notifyAll();
            while (!outbox.isEmpty() && !execution.isLost()) outbox.wait(1000); // the server may be away: wait until it has everything
        }
        timers.shutdownNow();
        sender.interrupt();
        say.accept(describe() + " " + outcome + " (" + client.server() + "/runs/" + claims.get(0).id() + ")");
    }

    /** The agent's reports go to the server, through the outbox. */
    private RunExecution.Reporter reporter() {
        return new RunExecution.Reporter() {
            @Override
            public void started(long runId, MachineInfo machine, JvmInfo jvm, PythonInfo python) {
                post("POST", runId, "/started", new AgentProtocol.Started(machine, jvm, python), false);
            }

            @Override
            public void cell(long runId, int index, CellResult cell) {
                post("PUT", runId, "/cells/" + index, cell, false);
            }

            @Override
            public void document(long runId, RunDocument document) {
                post("PUT", runId, "/document", document, true);
            }

            @Override
            public void end(long runId, RunStatus status, String why) {
                // an agent ends a run failed or cancelled: the server words a cancel itself
                AgentProtocol.Ending ending = status == RunStatus.CANCELLED ? AgentProtocol.Ending.CANCELLED : AgentProtocol.Ending.FAILED;
                post("POST", runId, "/end", new AgentProtocol.End(ending, ending == AgentProtocol.Ending.CANCELLED ? null : why), true);
            }
        };
    }

    private void post(String method, long runId, String rest, Object body, boolean last) {
        try {
            String json = Json.MAPPER.writeValueAsString(body);
            synchronized (outbox) {
                outbox.add(new Outbox.Report(runId, method, "/runs/" + runId + rest, json, last));
                if (last && --lastsOwed == 0) lastsQueued = true;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outbox's sender: each report in order, again and again while the server is away, never twice once answered. */
    private void send() {
        Backoff backoff = new Backoff(say);
        int lastsSent = 0;
        try {
            while (true) {
                Outbox.Report next;
                synchronized (outbox) {
                    while (outbox.isEmpty()) outbox.wait();
                    next = outbox.peek();
                }
                AgentClient.Answer answer = null;
                try {
                    answer = client.send(next.method(), client.agentPath(next.path()), next.json(), Duration.ofSeconds(60));
                } catch (IOException e) {
                    backoff.pause(describe() + ": cannot send a report (" + AgentCommand.reason(e) + "); keeping it");
                    continue;
                }
                if (answer.status() == 409) {
                    lostJob(answer.error());
                    return;
                }
                if (answer.ok() || answer.refused()) {
                    if (!answer.ok()) say.accept(describe() + ": the server refused a report (" + answer.error() + "); dropped");
                    if (next.last() && ++lastsSent == claims.size()) delivered = true;
                    backoff.reset(describe() + ": reports are getting through again");
                    outbox.remove();
                    continue;
                }
                backoff.pause(describe() + ": the server answered " + answer.error());
            }
        } catch (InterruptedException e) {
            // the job is over
        }
    }

    private void lostJob(String why) {
        if (delivered) return; // the job ended with our own reports: nothing is lost
        if (!execution.isLost()) say.accept(describe() + " is no longer this agent's (" + why + "); stopping it");
        execution.lost();
        outbox.clear();
    }

    private void heartbeat() {
        if (delivered) return;
        AgentProtocol.Report progress = measuring
                ? new AgentProtocol.Report(execution.current(), execution.elapsedSeconds(), execution.estimateSeconds(), execution.workerPid())
                : null;
        var beat = new AgentProtocol.Heartbeat(claims.get(0).id(), execution.runIds(), progress);
        try {
            AgentClient.Answer answer = client.send("POST", client.agentPath("/heartbeat"), beat);
            if (answer.status() == 409) {
                lostJob(answer.error());
            } else if (answer.ok() && answer.body() != null && !answer.body().path("run").isNull() && answer.body().has("run")) {
                AgentProtocol.Lease lease = AgentProtocol.Lease.of(answer.body().path("run").asText());
                if (lease == AgentProtocol.Lease.CANCEL && !execution.cancelAsked()) {
                    say.accept(describe() + ": cancelled on the server; stopping its workers");
                    execution.cancel();
                } else if (lease == AgentProtocol.Lease.LOST && !lastsQueued) {
                    // (with the last reports on their way, the outbox's answers say whether the server has them or gave the job up)
                    lostJob("the server gave it up");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the server is away: keep measuring; the lease is extended when it starts again
        } catch (RuntimeException e) {
            say.accept(describe() + ": heartbeat failed: " + e);
        }
    }
}
