package dev.conlab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;
import dev.conlab.server.ApiException;
import dev.conlab.server.Services;
import io.javalin.http.Context;

/** /api/machines: list, read, relabel (admin). */
public final class MachinesApi {

    private final Services services;

    public MachinesApi(Services services) {
        this.services = services;
    }

    public void list(Context ctx) {
        ctx.json(services.machines().list());
    }

    public void get(Context ctx) {
        long id = Handlers.id(ctx);
        ctx.json(services.machines().machine(id).orElseThrow(() -> notFound(id)));
    }

    public void relabel(Context ctx) {
        Handlers.requireScope(ctx, services, "admin");
        long id = Handlers.id(ctx);
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.body());
        } catch (Exception e) {
            throw new ApiException(400, "the body must be JSON such as {\"label\": \"build-server-1\"}");
        }
        JsonNode label = body == null ? null : body.get("label");
        if (label == null || !label.isTextual() || label.asText().isBlank() || label.asText().length() > 200) {
            throw new ApiException(400, "send {\"label\": \"…\"} with 1 to 200 characters");
        }
        if (!services.machines().relabel(id, label.asText().strip())) throw notFound(id);
        ctx.json(services.machines().machine(id).orElseThrow());
    }

    private static ApiException notFound(long id) {
        return new ApiException(404, "no machine " + id + "; GET /api/machines lists them");
    }
}
