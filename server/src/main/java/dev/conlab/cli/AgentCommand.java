package dev.conlab.cli;

import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.Json;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.bench.fork.Pythons;
import dev.conlab.bench.harness.Probe;
import dev.conlab.server.fleet.AgentProtocol;
import dev.conlab.server.queue.AgentRuntimes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Measure the runs a lab server queues for this machine: register this machine and its JDKs and Python "
                + "interpreters, wait for work (long-poll), and measure one run at a time in forked workers — exactly as the "
                + "server measures its own host — sending each cell as it finishes.",
                "It holds the run under a lease it renews with heartbeats; a cancel on the dashboard reaches it with the next "
                + "heartbeat. While the server is away it keeps measuring and sends what it owes when the server is back, "
                + "even after a restart of its own (the reports wait on disk, in --data-dir).",
                "Example: conlab agent --server http://lab:7070 --token $CONLAB_TOKEN   (token: conlab token create --name NAME --scopes agent)"})
final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    MachineNameOption machineName;

    @Mixin
    TaskJarOptions taskJars;

    @Option(names = "--server", required = true, paramLabel = "URL", defaultValue = "${env:CONLAB_SERVER}",
            description = "The lab server, e.g. http://lab:7070. Env: CONLAB_SERVER.")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CONLAB_TOKEN}",
            description = "A token with the agent scope, one per agent. Env: CONLAB_TOKEN.")
    String token;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:CONLAB_AGENT_DATA_DIR:-agent-data}",
            description = {"Where the agent keeps the reports its server has not answered yet (DIR/outbox, one synced file each): "
                    + "after a restart of the agent it sends them first. Default: ${DEFAULT-VALUE}. Env: CONLAB_AGENT_DATA_DIR."})
    java.nio.file.Path dataDir;

    private volatile boolean stopping;
    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        taskJars.install(); // the same jars as the server's: its queued runs may name their tasks
        AgentClient client = new AgentClient(server, token);
        JdkCatalog jdks = JdkCatalog.discover();
        Pythons pythons = Pythons.discover();
        MachineInfo machine = Probe.machine();
        var hello = new AgentProtocol.Hello(machine, AgentRuntimes.of(jdks, pythons), new Main.Version().getVersion()[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true));

        Outbox outbox = Outbox.open(dataDir.resolve("outbox"));
        AgentProtocol.Registered registered = register(client, hello);
        int heartbeatSeconds = registered.heartbeatSeconds() > 0 ? registered.heartbeatSeconds() : 5;
        int pollSeconds = registered.pollSeconds() > 0 ? registered.pollSeconds() : 20;
        say("agent of machine " + client.machineId + " (" + registered.machine() + ") on " + client.server()
                + ": " + hello.runtimes().describe() + "; lease " + registered.leaseSeconds() + " s, heartbeat every " + heartbeatSeconds
                + " s; waiting for runs");
        if (!outbox.isEmpty()) deliverOwed(client, outbox);
        Backoff backoff = new Backoff(this::say);
        while (!stopping) {
            AgentClient.Answer claim;
            try {
                claim = client.send("POST", client.agentPath("/claim?wait=" + pollSeconds), null, Duration.ofSeconds(pollSeconds + 30L));
            } catch (IOException e) {
                backoff.pause("the server is unreachable (" + reason(e) + ")");
                continue;
            }
            if (claim.status() == 204) {
                backoff.reset("the server answers again");
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
            backoff.reset("the server answers again");
            new AgentJob(client, Json.MAPPER.treeToValue(claim.body(), AgentProtocol.Claim.class), jdks, heartbeatSeconds, outbox, this::say).measure();
        }
        return 0;
    }

    /**
     * Sends what a previous process of this agent measured and its server never answered (it was away, then the agent was
     * killed), in order, marked as owed: the server stores them for the runs they belong to although this process no
     * longer holds them (its registration ended them interrupted), each once.
     */
    private void deliverOwed(AgentClient client, Outbox outbox) throws InterruptedException {
        int owed = outbox.size();
        String runs = String.join(", ", outbox.runIds().stream().map(String::valueOf).toList());
        say("sending " + owed + " report(s) owed from before this agent's restart (runs " + runs + ")");
        Backoff backoff = new Backoff(this::say);
        int refused = 0;
        while (!outbox.isEmpty()) {
            Outbox.Report next = outbox.peek();
            AgentClient.Answer answer;
            try {
                answer = client.send(next.method(), client.agentPath(next.path()) + "?owed=true", next.json(), Duration.ofSeconds(60));
            } catch (IOException e) {
                backoff.pause("cannot send an owed report (" + reason(e) + "); keeping it");
                continue;
            }
            if (answer.ok() || answer.refused()) {
                if (!answer.ok()) {
                    refused++;
                    say("the server refused an owed report of run " + next.runId() + " (" + answer.error() + "); dropped");
                }
                outbox.remove();
                backoff.reset("owed reports are getting through again");
            } else {
                backoff.pause("the server answered " + answer.error());
            }
        }
        say("delivered " + (owed - refused) + " owed report(s) (runs " + runs + ")" + (refused > 0 ? ", " + refused + " refused" : ""));
    }

    private AgentProtocol.Registered register(AgentClient client, AgentProtocol.Hello hello) throws InterruptedException, IOException {
        Backoff backoff = new Backoff(this::say);
        while (true) {
            try {
                AgentClient.Answer answer = client.send("POST", "/api/agents", hello);
                if (answer.ok()) {
                    AgentProtocol.Registered registered = Json.MAPPER.treeToValue(answer.body(), AgentProtocol.Registered.class);
                    client.machineId = registered.machineId();
                    client.session = registered.session();
                    return registered;
                }
                if (answer.refused()) throw new InvalidSpecException("the server refused to register this agent: " + answer.error());
                backoff.pause("registration answered " + answer.error());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw e;
            } catch (IOException e) {
                backoff.pause("cannot reach " + client.server() + " (" + reason(e) + ")");
            }
        }
    }

    private void say(String line) {
        out.println(java.time.LocalTime.now().withNano(0) + " " + line);
        out.flush();
    }

    static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
