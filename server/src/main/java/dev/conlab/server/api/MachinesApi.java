package dev.conlab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;
import dev.conlab.bench.MachineCheck;
import dev.conlab.bench.MachineInfo;
import dev.conlab.db.AgentStore;
import dev.conlab.db.MachineStore;
import dev.conlab.server.fleet.Agents;
import dev.conlab.server.queue.RunQueue;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.Limits;
import dev.conlab.server.core.Mappers;
import dev.conlab.server.http.Requests;
import io.javalin.http.Context;

/**
 * /api/machines: list, read, relabel (admin). Each machine says whether it is this server's host and, if an agent
 * registered it, whether the agent is online, when it was last heard and which JDKs and interpreters it has.
 */
public final class MachinesApi {

    private final MachineStore machines;
    private final AgentStore agents;
    private final RunQueue queue;

    public MachinesApi(MachineStore machines, AgentStore agents, RunQueue queue) {
        this.machines = machines;
        this.agents = agents;
        this.queue = queue;
    }

    /**
     * A machine, with {@code thisHost}, its {@code agent} (null when none registered it) and its last {@code check}
     * ({@code conlab doctor}; null when it has none, and in the list).
     */
    public record MachineAnswer(@com.fasterxml.jackson.annotation.JsonUnwrapped MachineStore.Machine machine, boolean thisHost,
                                Agents.AgentAnswer agent,
                                @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) MachineCheck check) {
    }

    public void list(Context ctx) {
        var byMachine = Agents.byMachine(agents);
        ctx.json(machines.list().stream().map(m -> new MachineAnswer(m, m.id() == queue.hostId(), byMachine.get(m.id()), null)).toList());
    }

    public void get(Context ctx) {
        long id = Requests.id(ctx);
        MachineStore.Machine m = machines.machine(id).orElseThrow(() -> notFound(id));
        ctx.json(new MachineAnswer(m, id == queue.hostId(), Agents.byMachine(agents).get(id), machines.lastCheckOf(id).orElse(null)));
    }

    /** What {@code conlab doctor --upload} sends. */
    record CheckUpload(MachineInfo machine, MachineCheck check) {
    }

    record CheckStored(long machine, String url) {
    }

    /** POST /api/machines/checks: a machine's check ({@code conlab doctor --upload}), kept for its page. */
    public void check(Context ctx) throws java.io.IOException {
        String text = new String(dev.conlab.server.http.Bodies.document(ctx), java.nio.charset.StandardCharsets.UTF_8);
        CheckUpload upload;
        try {
            upload = Json.MAPPER.readValue(text, CheckUpload.class);
        } catch (java.io.IOException e) {
            throw new LabException.Invalid("the body must be {\"machine\": {…the probe…}, \"check\": {…}} as conlab doctor --json "
                    + "prints the check; it does not read: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage()));
        }
        MachineInfo m = upload == null ? null : upload.machine();
        if (m == null || m.fingerprint() == null || !m.fingerprint().matches("[0-9a-f]{16}")) {
            throw new LabException.Invalid("$.machine.fingerprint must be the probe's 16 hexadecimal digits");
        }
        if (!Limits.machineLabel(m.label()) || dev.conlab.server.runs.DocumentValidator.badText(m.label()) != null
                || (m.hostname() != null && (m.hostname().length() > 255 || dev.conlab.server.runs.DocumentValidator.badText(m.hostname()) != null))
                || (m.cpu() != null && m.cpu().model() != null && (m.cpu().model().length() > 255
                        || dev.conlab.server.runs.DocumentValidator.badText(m.cpu().model()) != null))) {
            throw new LabException.Invalid("$.machine: its label (" + Limits.MACHINE_LABEL_RULE + "), hostname and CPU model (at most 255) must be plain text");
        }
        MachineCheck check = upload.check();
        if (check == null || check.at() == null || check.verdict() == null || check.items() == null || check.items().size() > 100) {
            throw new LabException.Invalid("$.check must be a check as conlab doctor --json prints it (at, verdict, at most 100 items)");
        }
        java.time.OffsetDateTime at;
        try {
            at = java.time.OffsetDateTime.parse(check.at());
        } catch (java.time.format.DateTimeParseException e) {
            throw new LabException.Invalid("$.check.at must be a time such as 2026-12-06T22:00:00Z");
        }
        String json = Json.MAPPER.writeValueAsString(check);
        if (dev.conlab.server.runs.DocumentValidator.badText(json) != null) throw new LabException.Invalid("$.check holds text a database cannot keep");
        long id = machines.saveCheck(m, at, check.verdict().id(), json);
        ctx.status(201).json(new CheckStored(id, "/machines/" + id));
    }

    public void relabel(Context ctx) {
        long id = Requests.id(ctx);
        JsonNode body;
        try {
            body = Mappers.JSON.readTree(ctx.body());
        } catch (Exception e) {
            throw new LabException.Invalid("the body must be JSON such as {\"label\": \"build-server-1\"}");
        }
        JsonNode label = body == null ? null : body.get("label");
        if (label == null || !label.isTextual() || !Limits.machineLabel(label.asText())) {
            throw new LabException.Invalid("send {\"label\": \"…\"} with " + Limits.MACHINE_LABEL_RULE);
        }
        if (!machines.relabel(id, label.asText().strip())) throw notFound(id);
        ctx.json(new MachineAnswer(machines.machine(id).orElseThrow(), id == queue.hostId(), Agents.byMachine(agents).get(id), null));
    }

    private static LabException.NotFound notFound(long id) {
        return new LabException.NotFound("no machine " + id + "; GET /api/machines lists them");
    }
}
