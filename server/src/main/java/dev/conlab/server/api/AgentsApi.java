package dev.conlab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.Mappers;
import dev.conlab.server.fleet.AgentProtocol;
import dev.conlab.server.fleet.Fleet;
import dev.conlab.server.http.Auth;
import dev.conlab.server.http.Bodies;
import dev.conlab.server.queue.Fleetwide;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;

/**
 * /api/agents: what {@code conlab agent} speaks — register, heartbeat, claim (long-polled), and the reports of a run
 * (started, each cell, the document, or its end). Every call needs a token with the {@code agent} scope and, after
 * registering, the session in the {@value #SESSION} header; the machine is in the path and must be the token's.
 */
public final class AgentsApi {

    /** The header that carries the agent's session (from its registration). */
    public static final String SESSION = "X-Conlab-Agent-Session";

    private final Fleet fleet;

    public AgentsApi(Fleet fleet) {
        this.fleet = fleet;
    }

    public void register(Context ctx) throws java.io.IOException {
        AgentProtocol.Hello hello = read(ctx, AgentProtocol.Hello.class, "{\"machine\": {…the probe…}, \"runtimes\": {\"jdks\": […], \"pythons\": […]}, \"version\": \"…\"}");
        ctx.status(201).json(fleet.register(Auth.token(ctx), hello));
    }

    public void heartbeat(Context ctx) throws java.io.IOException {
        JsonNode body = tree(ctx);
        AgentProtocol.Heartbeat beat = body == null || body.isMissingNode() ? new AgentProtocol.Heartbeat(null, null, null)
                : convert(body, AgentProtocol.Heartbeat.class, "{\"run\": 12, \"runs\": [12, 13], \"progress\": {…}}");
        if (beat.all().size() > 1000) throw new LabException.Invalid("$.runs: at most 1000 runs a heartbeat");
        ctx.json(fleet.heartbeat(Auth.token(ctx), machine(ctx), session(ctx), beat.all(), beat.progress()));
    }

    /** Long-polled: answers a run as soon as one is queued for the machine, or 204 after {@code wait} seconds. */
    public void claim(Context ctx) {
        int wait = dev.conlab.server.http.Requests.intQuery(ctx, "wait", Fleetwide.POLL_SECONDS, 0, 60);
        var future = fleet.claim(Auth.token(ctx), machine(ctx), session(ctx), wait);
        ctx.future(() -> future.thenAccept(claim -> {
            if (claim.isPresent()) ctx.json(claim.get());
            else ctx.status(204);
        }));
    }

    /** The largest hello a worker sends is a few kilobytes; its facts are stored as they come, so this is their limit. */
    private static final int MAX_STARTED_BYTES = 200_000;

    public void started(Context ctx) throws java.io.IOException {
        JsonNode body = tree(ctx);
        if (body != null && body.toString().length() > MAX_STARTED_BYTES) {
            throw new LabException.Invalid("a worker's hello is at most " + MAX_STARTED_BYTES + " bytes of JSON");
        }
        AgentProtocol.Started s = convert(body, AgentProtocol.Started.class, "{\"machine\": {…}, \"jvm\": {…}}");
        fleet.started(Auth.token(ctx), machine(ctx), session(ctx), run(ctx), owed(ctx), s.machine(), s.jvm(), s.python());
        ctx.status(204);
    }

    public void cell(Context ctx) throws java.io.IOException {
        int position = number(ctx, "position", 0);
        JsonNode body = tree(ctx);
        fleet.cell(Auth.token(ctx), machine(ctx), session(ctx), run(ctx), owed(ctx), position, body);
        ctx.status(204);
    }

    public void document(Context ctx) throws java.io.IOException {
        String json = new String(Bodies.document(ctx), StandardCharsets.UTF_8);
        fleet.finish(Auth.token(ctx), machine(ctx), session(ctx), run(ctx), owed(ctx), json);
        ctx.status(204);
    }

    public void end(Context ctx) throws java.io.IOException {
        JsonNode body = tree(ctx);
        if (body == null || !body.isObject()) throw new LabException.Invalid("the body must be a JSON object such as {\"status\": \"failed\", \"error\": \"why\"}");
        AgentProtocol.Ending status;
        try {
            status = AgentProtocol.Ending.of(body.path("status").asText(""));
        } catch (IllegalArgumentException e) {
            throw new LabException.Invalid(e.getMessage());
        }
        String text = body.path("error").isTextual() ? body.path("error").asText() : null;
        String error = text == null ? null : text.length() > 20_000 ? text.substring(0, 20_000) : text;
        fleet.end(Auth.token(ctx), machine(ctx), session(ctx), run(ctx), owed(ctx), status, error);
        ctx.status(204);
    }

    /** {@code ?owed=true}: a report a restarted agent owed from before its restart (see {@link Fleet#cell}). */
    private static boolean owed(Context ctx) {
        String owed = ctx.queryParam("owed");
        if (owed == null || owed.equals("false")) return false;
        if (owed.equals("true")) return true;
        throw new LabException.Invalid("owed must be true or false, not '" + owed + "'");
    }

    private static long machine(Context ctx) {
        return number(ctx, "machine", 1);
    }

    private static long run(Context ctx) {
        return number(ctx, "run", 1);
    }

    private static int number(Context ctx, String name, int min) {
        String text = ctx.pathParam(name);
        try {
            int value = Integer.parseInt(text);
            if (value >= min) return value;
        } catch (NumberFormatException e) {
            // below
        }
        throw new LabException.Invalid("bad " + name + " '" + text + "': expected a whole number from " + min);
    }

    private static String session(Context ctx) {
        String session = ctx.header(SESSION);
        if (session == null || session.isBlank()) {
            throw new LabException.Invalid("send the " + SESSION + " header with the session your registration (POST /api/agents) answered");
        }
        return session.strip();
    }

    private static JsonNode tree(Context ctx) throws java.io.IOException {
        String text = new String(Bodies.document(ctx), StandardCharsets.UTF_8);
        try {
            return Mappers.JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new LabException.Invalid("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static <T> T read(Context ctx, Class<T> type, String example) throws java.io.IOException {
        return convert(tree(ctx), type, example);
    }

    private static <T> T convert(JsonNode node, Class<T> type, String example) {
        if (node == null || !node.isObject()) throw new LabException.Invalid("the body must be a JSON object such as " + example);
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var path = new StringBuilder("$");
            if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
                for (var ref : m.getPath()) path.append(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
            }
            throw new LabException.Invalid(path + " does not read as it should (" + e.getOriginalMessage() + "); send " + example);
        }
    }
}
