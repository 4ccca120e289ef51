package dev.conlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.Json;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** POSTs result documents to a lab server and says what became of each. */
final class Uploader {

    private final URI endpoint;
    private final String server;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Uploader(String server, String token) {
        if (server == null || server.isBlank()) throw new InvalidSpecException("--server (or --upload) needs the lab server's URL, e.g. http://lab:7070");
        if (token == null || token.isBlank()) throw new InvalidSpecException("uploads need a token: --token T or CONLAB_TOKEN (conlab token create on the server)");
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        try {
            this.endpoint = URI.create(this.server + "/api/runs");
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("bad server URL '" + server + "': " + e.getMessage());
        }
        this.token = token;
    }

    /** What the server answered: its status and its JSON (null when the body is not JSON); null when it could not be reached. */
    private record Answer(int status, JsonNode body, String text) {
    }

    /** POSTs {@code json}; says on {@code err} (after {@code name}) when the server cannot be reached, and answers null then. */
    private Answer post(URI to, String name, String json, PrintWriter err) {
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(to).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            err.println(name + ": cannot reach " + to + ": " + (e.getMessage() == null ? e : e.getMessage()));
            return null;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (Exception e) {
            body = null;
        }
        return new Answer(response.statusCode(), body, response.body());
    }

    /** The server's refusal, with each problem's path, on {@code err}. */
    private static void refused(String name, Answer a, PrintWriter err) {
        err.println(name + ": refused (HTTP " + a.status() + "): " + (a.body() == null ? a.text() : a.body().path("error").asText()));
        if (a.body() != null) {
            for (JsonNode d : a.body().path("details")) err.println("  " + d.path("path").asText() + ": " + d.path("message").asText());
        }
    }

    /** Sends a machine's check ({@code conlab doctor --upload}); prints the machine's page or the server's reasons. */
    boolean check(String json, PrintWriter out, PrintWriter err) {
        Answer a = post(URI.create(server + "/api/machines/checks"), "check", json, err);
        if (a == null) return false;
        if (a.status() == 201 && a.body() != null) {
            out.println("check uploaded: " + server + a.body().path("url").asText());
            return true;
        }
        refused("check", a, err);
        return false;
    }

    /** Uploads one document; prints the run's URL or the server's reasons; true when the server kept it. */
    boolean upload(String name, String json, PrintWriter out, PrintWriter err) {
        Answer a = post(endpoint, name, json, err);
        if (a == null) return false;
        if ((a.status() == 200 || a.status() == 201) && a.body() != null) {
            out.println(name + ": " + (a.status() == 201 ? "uploaded as " : "already stored as ") + server + a.body().path("url").asText());
            return true;
        }
        refused(name, a, err);
        return false;
    }
}
