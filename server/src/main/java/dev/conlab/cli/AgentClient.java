package dev.conlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.Json;
import dev.conlab.server.api.AgentsApi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The agent's HTTP calls to the lab server: JSON in, the status and JSON out; no retry here (the callers decide). */
final class AgentClient {

    /** An answer: its status and body (null when empty or not JSON), and the server's sentence for a refusal. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** A refusal the same request will meet again (bad request, no right): retrying cannot help. */
        boolean refused() {
            return status >= 400 && status < 500 && status != 408 && status != 429;
        }

        String error() {
            String sentence = body == null ? null : body.path("error").asText(null);
            var text = new StringBuilder("HTTP " + status + (sentence == null ? "" : ": " + sentence));
            if (body != null) for (JsonNode d : body.path("details")) text.append("; ").append(d.path("path").asText()).append(": ").append(d.path("message").asText());
            return text.toString();
        }
    }

    private final String server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    volatile long machineId;
    volatile String session;

    AgentClient(String server, String token) {
        if (server == null || server.isBlank()) throw new InvalidSpecException("--server needs the lab server's URL, e.g. http://lab:7070");
        if (token == null || token.isBlank()) {
            throw new InvalidSpecException("an agent needs a token with the agent scope: --token T or CONLAB_TOKEN "
                    + "(on the server: conlab token create --name NAME --scopes agent)");
        }
        String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        try {
            URI uri = URI.create(base + "/api/health");
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) throw new IllegalArgumentException("not an http(s) URL");
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("bad server URL '" + server + "': " + e.getMessage());
        }
        this.server = base;
        this.token = token;
    }

    String server() {
        return server;
    }

    /** A path under the machine's agent endpoints. */
    String agentPath(String rest) {
        return "/api/agents/" + machineId + rest;
    }

    Answer send(String method, String path, String json, Duration timeout) throws IOException, InterruptedException {
        var builder = HttpRequest.newBuilder(URI.create(server + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (session != null) builder.header(AgentsApi.SESSION, session);
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = null;
        if (!response.body().isBlank()) {
            try {
                body = Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                body = null;
            }
        }
        return new Answer(response.statusCode(), body);
    }

    Answer send(String method, String path, Object body) throws IOException, InterruptedException {
        return send(method, path, body == null ? null : Json.MAPPER.writeValueAsString(body), Duration.ofSeconds(60));
    }
}
