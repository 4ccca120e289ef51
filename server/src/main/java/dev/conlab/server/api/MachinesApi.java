package dev.conlab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.db.AgentStore;
import dev.conlab.db.MachineStore;
import dev.conlab.server.fleet.Agents;
import dev.conlab.server.queue.RunQueue;
import dev.conlab.server.core.LabException;
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

    /** A machine, with {@code thisHost} and its {@code agent} (null when none registered it). */
    public record MachineAnswer(@com.fasterxml.jackson.annotation.JsonUnwrapped MachineStore.Machine machine, boolean thisHost,
                                Agents.AgentAnswer agent) {
    }

    public void list(Context ctx) {
        var byMachine = Agents.byMachine(agents);
        ctx.json(machines.list().stream().map(m -> new MachineAnswer(m, m.id() == queue.hostId(), byMachine.get(m.id()))).toList());
    }

    public void get(Context ctx) {
        long id = Requests.id(ctx);
        MachineStore.Machine m = machines.machine(id).orElseThrow(() -> notFound(id));
        ctx.json(new MachineAnswer(m, id == queue.hostId(), Agents.byMachine(agents).get(id)));
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
        if (label == null || !label.isTextual() || label.asText().isBlank() || label.asText().length() > 200) {
            throw new LabException.Invalid("send {\"label\": \"…\"} with 1 to 200 characters");
        }
        if (!machines.relabel(id, label.asText().strip())) throw notFound(id);
        ctx.json(new MachineAnswer(machines.machine(id).orElseThrow(), id == queue.hostId(), Agents.byMachine(agents).get(id)));
    }

    private static LabException.NotFound notFound(long id) {
        return new LabException.NotFound("no machine " + id + "; GET /api/machines lists them");
    }
}
