package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.Json;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.TestDocuments;
import dev.conlab.bench.harness.Probe;
import dev.conlab.db.Scope;
import dev.conlab.server.api.AgentsApi;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.conlab.db.jooq.Tables.CELL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent protocol over HTTP on H2 and PostgreSQL, without processes (FleetIT has the real agents): one machine per
 * token, an agent only ever sees and writes its own machine's runs, every bad report is a 4xx with its sentence that
 * changes nothing, and a report sent twice is stored once.
 */
class AgentApiTest {

    private InProcessServer server;
    private String queue;

    /** A registered agent as a test drives it. */
    private record Agent(String token, long machineId, String session, MachineInfo machine) {
    }

    private static Map<String, Object> hello(MachineInfo machine) {
        var jdk = Map.of("home", "/opt/jdk-25", "feature", 25, "version", "25.0.3", "vendor", "Test", "source", "test");
        var hello = new LinkedHashMap<String, Object>();
        hello.put("machine", machine);
        hello.put("runtimes", Map.of("jdks", List.of(jdk), "pythons", List.of()));
        hello.put("version", "test");
        return hello;
    }

    private InProcessServer.Reply call(Agent agent, String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + agent.token());
        if (agent.session() != null) request.header(AgentsApi.SESSION, agent.session());
        return server.send(request);
    }

    private Agent register(String tokenName, String machineName) throws Exception {
        String token = server.token(tokenName, Scope.AGENT);
        MachineInfo machine = Probe.named(TestDocuments.small().machine(), machineName);
        InProcessServer.Reply reply = server.send("POST", "/api/agents", token, Json.MAPPER.writeValueAsString(hello(machine)));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return new Agent(token, reply.json().get("machineId").asLong(), reply.json().get("session").asText(), machine);
    }

    private long enqueueFor(String machine) throws Exception {
        InProcessServer.Reply reply = server.send("POST", "/api/queue", queue, """
                {"suite": "smoke", "workloads": ["sleep-io"], "models": ["sequential", "threads"], "jdks": ["25"], "machines": ["%s"]}"""
                .formatted(machine));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("runs").get(0).get("id").asLong();
    }

    private int cells(long runId) {
        return server.database().dsl().fetchCount(CELL, CELL.RUN_ID.eq(runId));
    }

    private Agent a;
    private Agent b;

    /** The server on one database, a queue token, and two registered agents: machine-a's and machine-b's. */
    private void twoAgents(InProcessServer started) throws Exception {
        server = started;
        queue = server.token("queuer", Scope.QUEUE);
        a = register("agent-a", "machine-a");
        b = register("agent-b", "machine-b");
    }

    @OnEachDatabase
    void one_machine_per_agent_token_and_a_bad_registration_writes_nothing(InProcessServer started) throws Exception {
        twoAgents(started);
        // a token with another scope, another token for a taken machine, a second machine for one token: refused
        String uploader = server.token("uploader", Scope.UPLOAD);
        assertThat(server.send("POST", "/api/agents", uploader, Json.MAPPER.writeValueAsString(hello(a.machine()))).status()).isEqualTo(403);
        InProcessServer.Reply taken = server.send("POST", "/api/agents", b.token(), Json.MAPPER.writeValueAsString(hello(a.machine())));
        assertThat(taken.status()).isEqualTo(403);
        assertThat(taken.json().get("error").asText()).contains("already belongs to the agent of machine 'machine-b'");
        InProcessServer.Reply another = server.send("POST", "/api/agents", b.token(),
                Json.MAPPER.writeValueAsString(hello(Probe.named(TestDocuments.small().machine(), "machine-c"))));
        assertThat(another.status()).isEqualTo(403);
        assertThat(server.get("/api/machines").json().findValuesAsText("label")).doesNotContain("machine-c"); // nothing written
        InProcessServer.Reply host = server.send("POST", "/api/agents", server.token("on-the-host", Scope.AGENT),
                Json.MAPPER.writeValueAsString(hello(Probe.machine())));
        assertThat(host.status()).isEqualTo(409);
        assertThat(host.json().get("error").asText()).contains("this server's own host").contains("--machine-name");
        InProcessServer.Reply malformed = server.send("POST", "/api/agents", a.token(), "{\"machine\": {\"fingerprint\": \"x\"}}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("details").findValuesAsText("path")).contains("$.machine.fingerprint", "$.machine.label");
        var nul = new MachineInfo("00000000000000ff", "bad\u0000name", "h".repeat(300), null, null, null, null);
        InProcessServer.Reply hostile = server.send("POST", "/api/agents", a.token(), Json.MAPPER.writeValueAsString(hello(nul)));
        assertThat(hostile.status()).isEqualTo(400);
        assertThat(hostile.json().get("details").findValuesAsText("path")).contains("$.machine.label", "$.machine.hostname");
    }

    @OnEachDatabase
    void the_queue_takes_an_agents_machine_by_name_or_id_and_refuses_an_unknown_one_or_a_missing_jdk(InProcessServer started)
            throws Exception {
        twoAgents(started);
        // the queue takes machines by name or id; an unknown one is named with the known ones, and nothing is queued
        InProcessServer.Reply unknown = server.send("POST", "/api/queue", queue,
                "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"], \"jdks\": [\"25\"], \"machines\": [\"machine-z\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).contains("unknown machine 'machine-z'").contains("machine-a").contains("machine-b");
        InProcessServer.Reply noJdk = server.send("POST", "/api/queue", queue,
                "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"], \"jdks\": [\"17\"], \"machines\": [\"machine-a\"]}");
        assertThat(noJdk.status()).isEqualTo(400);
        assertThat(noJdk.json().get("error").asText()).startsWith("machine-a: no JDK 17 found; installed: 25 (/opt/jdk-25)");
        assertThat(server.get("/api/queue").json().get("runs")).isEmpty();

        enqueueFor("machine-a");
        enqueueFor(String.valueOf(b.machineId()));
        assertThat(server.get("/api/queue").json().get("runs").findValuesAsText("machine")).containsExactly("machine-a", "machine-b");
    }

    @OnEachDatabase
    void an_agent_claims_and_writes_only_its_own_machines_runs_and_a_bad_or_repeated_cell_changes_nothing(InProcessServer started)
            throws Exception {
        twoAgents(started);
        long forA = enqueueFor("machine-a");
        long forB = enqueueFor(String.valueOf(b.machineId()));
        JsonNode queued = server.get("/api/queue").json().get("runs");
        assertThat(queued.findValuesAsText("machine")).containsExactly("machine-a", "machine-b");

        // B's claim gets B's run, never A's; B cannot claim or heartbeat as A
        InProcessServer.Reply claim = call(b, "POST", "/api/agents/" + b.machineId() + "/claim?wait=0", null);
        assertThat(claim.status()).as(claim.text()).isEqualTo(200);
        assertThat(claim.json().get("id").asLong()).isEqualTo(forB);
        assertThat(claim.json().get("home").asText()).isEqualTo("/opt/jdk-25");
        assertThat(call(b, "POST", "/api/agents/" + b.machineId() + "/claim?wait=0", null).status()).isEqualTo(204);
        InProcessServer.Reply asA = call(b, "POST", "/api/agents/" + a.machineId() + "/claim?wait=0", null);
        assertThat(asA.status()).isEqualTo(403);
        assertThat(asA.json().get("error").asText()).contains("not of machine " + a.machineId());
        InProcessServer.Reply beatAsA = call(b, "POST", "/api/agents/" + a.machineId() + "/heartbeat", "{\"run\": " + forA + "}");
        assertThat(beatAsA.status()).as(beatAsA.text()).isEqualTo(403);
        assertThat(call(new Agent(b.token(), b.machineId(), "stale-session", b.machine()), "POST",
                "/api/agents/" + b.machineId() + "/heartbeat", "{}").status()).isEqualTo(409);

        // A claims its run; B cannot write A's cells, even under its own machine's path
        InProcessServer.Reply claimA = call(a, "POST", "/api/agents/" + a.machineId() + "/claim?wait=0", null);
        assertThat(claimA.json().get("id").asLong()).isEqualTo(forA);
        CellSpec first = Json.MAPPER.treeToValue(claim.json().get("spec").get("cells").get(0), CellSpec.class);
        String cell = Json.MAPPER.writeValueAsString(CellResult.notRun(first, CellStatus.UNSUPPORTED, "not on this test machine"));
        assertThat(call(b, "PUT", "/api/agents/" + b.machineId() + "/runs/" + forA + "/cells/0", cell).status()).isEqualTo(403);
        assertThat(call(b, "PUT", "/api/agents/" + a.machineId() + "/runs/" + forA + "/cells/0", cell).status()).isEqualTo(403);
        assertThat(cells(forA)).isZero();

        // bad reports: each a 400 with its path, nothing stored
        String base = "/api/agents/" + b.machineId() + "/runs/" + forB;
        InProcessServer.Reply broken = call(b, "PUT", base + "/cells/0", cell.replace("\"status\":\"unsupported\"", "\"status\":\"great\""));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("details").findValuesAsText("path")).contains("$.status");
        assertThat(call(b, "PUT", base + "/cells/1", cell).json().get("error").asText()).contains("cell 1 of run " + forB + " is sleep-io × threads");
        assertThat(call(b, "PUT", base + "/cells/7", cell).status()).isEqualTo(400);
        assertThat(call(b, "PUT", base + "/cells/0", "{not json").status()).isEqualTo(400);
        assertThat(call(b, "POST", base + "/end", "{\"status\": \"done\"}").status()).isEqualTo(400);
        assertThat(cells(forB)).isZero();

        // a cell sent twice (its answer lost) is stored once
        assertThat(call(b, "PUT", base + "/cells/0", cell).status()).isEqualTo(204);
        assertThat(call(b, "PUT", base + "/cells/0", cell).status()).isEqualTo(204);
        assertThat(cells(forB)).isEqualTo(1);
    }

    @OnEachDatabase
    void a_heartbeat_carries_progress_and_the_document_ends_the_run_once_on_its_own_machine(InProcessServer started) throws Exception {
        twoAgents(started);
        enqueueFor("machine-a");
        long forB = enqueueFor(String.valueOf(b.machineId()));
        InProcessServer.Reply claim = call(b, "POST", "/api/agents/" + b.machineId() + "/claim?wait=0", null);
        assertThat(claim.json().get("id").asLong()).isEqualTo(forB);
        String base = "/api/agents/" + b.machineId() + "/runs/" + forB;
        // the heartbeat renews the lease and carries progress to the queue panel
        InProcessServer.Reply beat = call(b, "POST", "/api/agents/" + b.machineId() + "/heartbeat", """
                {"run": %d, "progress": {"cell": {"index": 1, "workload": "sleep-io", "model": "threads", "phase": "measure",
                 "iteration": 1, "of": 3}, "elapsedSeconds": 2.5, "workerPid": 4242}}""".formatted(forB));
        assertThat(beat.json().get("run").asText()).isEqualTo("held");
        JsonNode progress = server.get("/api/queue").json().get("runs").get(1).get("progress");
        assertThat(progress.get("currentCell").get("model").asText()).isEqualTo("threads");
        assertThat(progress.get("workerPid").asLong()).isEqualTo(4242);

        // the document: another machine's is refused; B's own is stored, and sent again changes nothing
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(TestDocuments.smallJson());
        doc.put("id", claim.json().get("documentId").asText());
        doc.set("machine", Json.MAPPER.valueToTree(a.machine()));
        InProcessServer.Reply foreign = call(b, "PUT", base + "/document", Json.MAPPER.writeValueAsString(doc));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().get("error").asText()).contains("not the agent's machine");
        doc.set("machine", Json.MAPPER.valueToTree(b.machine()));
        doc.remove("suite");
        assertThat(call(b, "PUT", base + "/document", Json.MAPPER.writeValueAsString(doc)).status()).isEqualTo(400);
        doc.put("suite", "smoke");
        assertThat(call(b, "PUT", base + "/document", Json.MAPPER.writeValueAsString(doc)).status()).isEqualTo(204);
        assertThat(call(b, "PUT", base + "/document", Json.MAPPER.writeValueAsString(doc)).status()).isEqualTo(204);
        JsonNode stored = server.get("/api/runs/" + forB).json();
        assertThat(stored.get("run").get("status").asText()).isEqualTo("done");
        assertThat(stored.get("run").get("machineLabel").asText()).isEqualTo("machine-b");
        // the run is over: a late heartbeat learns it is no longer held
        assertThat(call(b, "POST", "/api/agents/" + b.machineId() + "/heartbeat", "{\"run\": " + forB + "}").json().get("run").asText())
                .isEqualTo("lost");

        // the machines API says who has an agent, whether it is online, and its JDKs
        JsonNode machines = server.get("/api/machines").json();
        JsonNode agentB = null;
        for (JsonNode m : machines) if (m.get("label").asText().equals("machine-b")) agentB = m.get("agent");
        assertThat(agentB).isNotNull();
        assertThat(agentB.get("online").asBoolean()).isTrue();
        assertThat(agentB.get("runtimes").get("jdks").get(0).get("feature").asInt()).isEqualTo(25);
    }
}
