package dev.conlab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.db.MachineStore;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.Mappers;
import dev.conlab.server.http.Requests;
import io.javalin.http.Context;

/** /api/machines: list, read, relabel (admin). */
public final class MachinesApi {

    private final MachineStore machines;

    public MachinesApi(MachineStore machines) {
        this.machines = machines;
    }

    public void list(Context ctx) {
        ctx.json(machines.list());
    }

    public void get(Context ctx) {
        long id = Requests.id(ctx);
        ctx.json(machines.machine(id).orElseThrow(() -> notFound(id)));
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
        ctx.json(machines.machine(id).orElseThrow());
    }

    private static LabException.NotFound notFound(long id) {
        return new LabException.NotFound("no machine " + id + "; GET /api/machines lists them");
    }
}
