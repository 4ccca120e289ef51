package dev.conlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.Vocabulary;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.bench.fork.Pythons;
import dev.conlab.bench.fork.Target;
import dev.conlab.bench.harness.Probe;
import dev.conlab.server.queue.AgentRuntimes;
import dev.conlab.server.queue.Measurer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Measure the runs a lab server queues for this machine: register this machine and its JDKs and Python "
                + "interpreters, wait for work (long-poll), and measure one run at a time in forked workers — exactly as the "
                + "server measures its own host — sending each cell as it finishes.",
                "It holds the run under a lease it renews with heartbeats; a cancel on the dashboard reaches it with the next "
                + "heartbeat. While the server is away it keeps measuring and sends what it owes when the server is back.",
                "Example: conlab agent --server http://lab:7070 --token $CONLAB_TOKEN   (token: conlab token create --name NAME --scopes agent)"})
final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    MachineNameOption machineName;

    @Option(names = "--server", required = true, paramLabel = "URL", defaultValue = "${env:CONLAB_SERVER}",
            description = "The lab server, e.g. http://lab:7070. Env: CONLAB_SERVER.")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CONLAB_TOKEN}",
            description = "A token with the agent scope, one per agent. Env: CONLAB_TOKEN.")
    String token;

    private volatile boolean stopping;
    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        AgentClient client = new AgentClient(server, token);
        JdkCatalog jdks = JdkCatalog.discover();
        Pythons pythons = Pythons.discover();
        MachineInfo machine = Probe.machine();
        var hello = new LinkedHashMap<String, Object>();
        hello.put("machine", machine);
        hello.put("runtimes", AgentRuntimes.of(jdks, pythons));
        hello.put("version", new Main.Version().getVersion()[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true));

        JsonNode registered = register(client, hello);
        int heartbeatSeconds = registered.path("heartbeatSeconds").asInt(5);
        int pollSeconds = registered.path("pollSeconds").asInt(20);
        say("agent of machine " + client.machineId + " (" + registered.path("machine").asText() + ") on " + client.server()
                + ": " + AgentRuntimes.of(jdks, pythons).describe() + "; lease " + registered.path("leaseSeconds").asInt()
                + " s, heartbeat every " + heartbeatSeconds + " s; waiting for runs");
        Backoff backoff = new Backoff();
        while (!stopping) {
            AgentClient.Answer claim;
            try {
                claim = client.send("POST", client.agentPath("/claim?wait=" + pollSeconds), null, Duration.ofSeconds(pollSeconds + 30L));
            } catch (IOException e) {
                backoff.pause("the server is unreachable (" + reason(e) + ")");
                continue;
            }
            if (claim.status() == 204) {
                backoff.reset();
                continue;
            }
            if (claim.status() == 409) {
                err.println("conlab agent: " + claim.error() + "; stopping");
                return Errors.FAILURE;
            }
            if (claim.refused()) {
                err.println("conlab agent: the server refused this agent: " + claim.error());
                return Errors.FAILURE;
            }
            if (!claim.ok()) {
                backoff.pause("the server answered " + claim.error());
                continue;
            }
            backoff.reset();
            new RunOnAgent(client, claim.body(), jdks, heartbeatSeconds).measure();
        }
        return 0;
    }

    private JsonNode register(AgentClient client, Map<String, Object> hello) throws InterruptedException {
        Backoff backoff = new Backoff();
        while (true) {
            try {
                AgentClient.Answer answer = client.send("POST", "/api/agents", hello);
                if (answer.ok()) {
                    client.machineId = answer.body().path("machineId").asLong();
                    client.session = answer.body().path("session").asText();
                    return answer.body();
                }
                if (answer.refused()) throw new InvalidSpecException("the server refused to register this agent: " + answer.error());
                backoff.pause("registration answered " + answer.error());
            } catch (IOException e) {
                backoff.pause("cannot reach " + client.server() + " (" + reason(e) + ")");
            }
        }
    }

    private void say(String line) {
        out.println(java.time.LocalTime.now().withNano(0) + " " + line);
        out.flush();
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Waits longer after each failure (0.5 s, doubling, at most 10 s); says so once per outage. */
    private final class Backoff {
        private long millis = 500;
        private boolean told;

        void pause(String why) throws InterruptedException {
            if (!told) say(why + "; trying again with back-off");
            told = true;
            Thread.sleep(millis);
            millis = Math.min(10_000, millis * 2);
        }

        void reset() {
            if (told) say("the server answers again");
            millis = 500;
            told = false;
        }
    }

    /**
     * One claimed run: measured with the same ForkRunner as the server's own queue; its reports (started, each cell, the
     * document or the end) leave through an outbox that keeps their order and retries while the server is away; a
     * heartbeat renews the lease and brings a cancel, or the news that the run was given up.
     */
    private final class RunOnAgent {
        private final AgentClient client;
        private final JsonNode claim;
        private final long runId;
        private final JdkCatalog jdks;
        private final int heartbeatSeconds;
        private final Measurer measurer = Measurer.onThisHost().get();
        private final ArrayDeque<String[]> outbox = new ArrayDeque<>(); // {method, path, json}
        private volatile boolean cancelAsked;
        private volatile boolean lost;
        private volatile boolean limitExceeded;
        private volatile boolean measuring = true;
        /** The run's last report (its document or its end) was acknowledged: the server has everything. */
        private volatile boolean delivered;
        /** The last report is in the outbox: a "lost" from a heartbeat may only mean the server has it already. */
        private volatile boolean finalQueued;
        private final long startNanos = System.nanoTime();
        private volatile Map<String, Object> current;

        RunOnAgent(AgentClient client, JsonNode claim, JdkCatalog jdks, int heartbeatSeconds) {
            this.client = client;
            this.claim = claim;
            this.runId = claim.path("id").asLong();
            this.jdks = jdks;
            this.heartbeatSeconds = heartbeatSeconds;
        }

        void measure() throws InterruptedException {
            say("run " + runId + ": " + claim.path("cellsTotal").asInt() + " cells on " + claim.path("home").asText());
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
                Thread t = new Thread(r, "conlab-agent-heartbeat");
                t.setDaemon(true);
                return t;
            });
            Thread sender = new Thread(this::send, "conlab-agent-outbox");
            sender.setDaemon(true);
            sender.start();
            timers.scheduleWithFixedDelay(this::heartbeat, 0, heartbeatSeconds, TimeUnit.SECONDS);
            int limit = claim.path("runTimeoutSeconds").asInt(0);
            if (limit > 0) timers.schedule(() -> {
                limitExceeded = true;
                measurer.cancel();
            }, limit, TimeUnit.SECONDS);
            String outcome;
            try {
                RunSpec plan = Json.MAPPER.treeToValue(claim.path("spec"), RunSpec.class);
                RunDocument doc = measurer.measure(claim.path("documentId").asText(), target(), plan, listener());
                post("PUT", "/document", doc);
                outcome = "done";
            } catch (ForkRunner.CancelledException e) {
                if (lost) {
                    outcome = "given up by the server (its lease lapsed); stopped";
                } else if (limitExceeded) {
                    end("failed", "did not finish within the run limit of " + limit + " s; the worker was killed; finished cells are kept");
                    outcome = "failed: run limit";
                } else {
                    end("cancelled", null);
                    outcome = "cancelled";
                }
            } catch (ForkRunner.WorkerFailedException e) {
                end("failed", e.getMessage());
                outcome = "failed: " + e.getMessage();
            } catch (InterruptedException e) {
                measurer.cancel();
                throw e;
            } catch (Exception e) {
                end("failed", "the agent failed to run it: " + e);
                outcome = "failed: " + e;
            }
            measuring = false;
            synchronized (outbox) {
                outbox.notifyAll();
                while (!outbox.isEmpty() && !lost) outbox.wait(1000); // the server may be away: wait until it has everything
            }
            timers.shutdownNow();
            sender.interrupt();
            say("run " + runId + " " + (lost && !outcome.startsWith("given up") ? "given up by the server; its reports were dropped" : outcome)
                    + " (" + client.server() + "/runs/" + runId + ")");
        }

        private Target target() throws ForkRunner.WorkerFailedException {
            String home = claim.path("home").asText();
            try {
                if (Vocabulary.PYTHON.equals(claim.path("runtime").asText())) return Pythons.discover().select(List.of(home)).get(0);
                for (Jdk jdk : jdks.all()) if (jdk.home().toString().equals(home)) return jdk;
                return jdks.select(List.of(home)).get(0);
            } catch (InvalidSpecException e) {
                throw new ForkRunner.WorkerFailedException("the run's " + home + " is not installed on this machine any more: " + e.getMessage());
            }
        }

        private ForkRunner.Listener listener() {
            return new ForkRunner.Listener() {
                @Override
                public void started(Target target, MachineInfo machine, JvmInfo jvm, PythonInfo python) {
                    var body = new LinkedHashMap<String, Object>();
                    body.put("machine", machine);
                    body.put("jvm", jvm);
                    body.put("python", python);
                    post("POST", "/started", body);
                }

                @Override
                public void cellStarted(int index, String workload, String model) {
                    current = cell(index, workload, model, "starting", 0, 0);
                }

                @Override
                public void iteration(int index, String phase, int iteration, int of) {
                    Map<String, Object> now = current;
                    if (now != null) current = cell(index, (String) now.get("workload"), (String) now.get("model"), phase, iteration, of);
                }

                @Override
                public void cellFinished(int index, CellResult result) {
                    current = null;
                    post("PUT", "/cells/" + index, result);
                }
            };
        }

        private Map<String, Object> cell(int index, String workload, String model, String phase, int iteration, int of) {
            var cell = new LinkedHashMap<String, Object>();
            cell.put("index", index);
            cell.put("workload", workload);
            cell.put("model", model);
            cell.put("phase", phase);
            cell.put("iteration", iteration);
            cell.put("of", of);
            return cell;
        }

        private void end(String status, String error) {
            var body = new LinkedHashMap<String, Object>();
            body.put("status", status);
            body.put("error", error);
            post("POST", "/end", body);
        }

        private void post(String method, String rest, Object body) {
            try {
                String json = Json.MAPPER.writeValueAsString(body);
                if (rest.equals("/document") || rest.equals("/end")) finalQueued = true;
                synchronized (outbox) {
                    outbox.add(new String[] {method, client.agentPath("/runs/" + runId + rest), json});
                    outbox.notifyAll();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The outbox's sender: each report in order, again and again while the server is away, never twice once answered. */
        private void send() {
            try {
                long pause = 500;
                boolean told = false;
                while (true) {
                    String[] next;
                    synchronized (outbox) {
                        while (outbox.isEmpty()) outbox.wait();
                        next = outbox.peek();
                    }
                    AgentClient.Answer answer = null;
                    try {
                        answer = client.send(next[0], next[1], next[2], Duration.ofSeconds(60));
                    } catch (IOException e) {
                        if (!told) say("run " + runId + ": cannot send a report (" + reason(e) + "); keeping it and trying again");
                        told = true;
                    }
                    if (answer != null && answer.status() == 409) {
                        lostRun(answer.error());
                        return;
                    }
                    if (answer != null && (answer.ok() || answer.refused())) {
                        if (!answer.ok()) say("run " + runId + ": the server refused a report (" + answer.error() + "); dropped");
                        if (next[1].endsWith("/document") || next[1].endsWith("/end")) delivered = true;
                        if (told) say("run " + runId + ": reports are getting through again");
                        told = false;
                        pause = 500;
                        synchronized (outbox) {
                            outbox.poll();
                            outbox.notifyAll();
                        }
                        continue;
                    }
                    Thread.sleep(pause);
                    pause = Math.min(10_000, pause * 2);
                }
            } catch (InterruptedException e) {
                // the run is over
            }
        }

        private void lostRun(String why) {
            if (delivered) return; // the run ended with our own report: nothing is lost
            if (!lost) say("run " + runId + " is no longer this agent's (" + why + "); stopping it");
            lost = true;
            measurer.cancel();
            synchronized (outbox) {
                outbox.clear();
                outbox.notifyAll();
            }
        }

        private void heartbeat() {
            if (delivered) return;
            var body = new LinkedHashMap<String, Object>();
            body.put("run", runId);
            if (measuring) {
                var progress = new LinkedHashMap<String, Object>();
                progress.put("cell", current);
                progress.put("elapsedSeconds", Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0);
                progress.put("workerPid", measurer.currentPid());
                body.put("progress", progress);
            }
            try {
                AgentClient.Answer answer = client.send("POST", client.agentPath("/heartbeat"), body);
                if (answer.status() == 409) {
                    lostRun(answer.error());
                } else if (answer.ok()) {
                    String run = answer.body() == null ? "" : answer.body().path("run").asText();
                    if (run.equals("cancel") && !cancelAsked) {
                        cancelAsked = true;
                        say("run " + runId + ": cancelled on the server; stopping its workers");
                        measurer.cancel();
                    } else if (run.equals("lost") && !finalQueued) {
                        // (with the last report on its way, the outbox's answer says whether the server has it or gave the run up)
                        lostRun("the server gave it up");
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the server is away: keep measuring; the lease is extended when it starts again
            } catch (RuntimeException e) {
                say("run " + runId + ": heartbeat failed: " + e);
            }
        }
    }
}
