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

    /** Sends a machine's check ({@code conlab doctor --upload}); prints the machine's page or the server's reasons. */
    boolean check(String json, PrintWriter out, PrintWriter err) {
        HttpResponse<String> response;
        URI checks = URI.create(server + "/api/machines/checks");
        try {
            response = client.send(HttpRequest.newBuilder(checks).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            err.println("cannot reach " + checks + ": " + (e.getMessage() == null ? e : e.getMessage()));
            return false;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (Exception e) {
            body = null;
        }
        if (response.statusCode() == 201 && body != null) {
            out.println("check uploaded: " + server + body.path("url").asText());
            return true;
        }
        err.println("check refused (HTTP " + response.statusCode() + "): " + (body == null ? response.body() : body.path("error").asText()));
        return false;
    }

    /** Uploads one document; prints the run's URL or the server's reasons; true when the server kept it. */
    boolean upload(String name, String json, PrintWriter out, PrintWriter err) {
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            err.println(name + ": cannot reach " + endpoint + ": " + (e.getMessage() == null ? e : e.getMessage()));
            return false;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (Exception e) {
            body = null;
        }
        if ((response.statusCode() == 200 || response.statusCode() == 201) && body != null) {
            out.println(name + ": " + (response.statusCode() == 201 ? "uploaded as " : "already stored as ")
                    + server + body.path("url").asText());
            return true;
        }
        err.println(name + ": refused (HTTP " + response.statusCode() + "): " + (body == null ? response.body() : body.path("error").asText()));
        if (body != null) {
            for (JsonNode d : body.path("details")) err.println("  " + d.path("path").asText() + ": " + d.path("message").asText());
        }
        return false;
    }
}
