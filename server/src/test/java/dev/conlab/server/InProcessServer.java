package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TestDatabases;
import io.javalin.Javalin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app on a real Javalin server on a random loopback port, over one of the test databases (no queue runner: queued
 * runs wait), with an HTTP client whose every answer is checked to carry no stack trace. Tests get one per database
 * from {@link OnEachDatabase}.
 */
public final class InProcessServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String databaseName;
    private final Database database;
    private final Lab lab;
    private final Javalin app;
    private final String base;

    private InProcessServer(String databaseName, Database database) {
        this.databaseName = databaseName;
        this.database = database;
        this.lab = Lab.over(database);
        this.app = App.create(lab).start("127.0.0.1", 0);
        this.base = "http://127.0.0.1:" + app.port();
    }

    static InProcessServer start(TestDatabases.Named db) {
        return new InProcessServer(db.name(), db.open().get());
    }

    /** An answer: its status, its body as JSON (null when it is not JSON) and as text. */
    public record Reply(int status, JsonNode json, String text, HttpResponse<String> response) {
    }

    public String base() {
        return base;
    }

    public Lab lab() {
        return lab;
    }

    public Database database() {
        return database;
    }

    /** A new token with these scopes. */
    public String token(String name, Scope... scopes) {
        return lab.tokens().create(name, scopes.length == 0 ? EnumSet.noneOf(Scope.class) : EnumSet.copyOf(List.of(scopes)));
    }

    public Reply get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    /** Sends a request with a JSON body (or none) and, when given, a bearer token. */
    public Reply send(String method, String path, String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        return send(request);
    }

    /** Sends any request to this server (the URI must be under {@link #base()}). */
    public Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            // not JSON
        }
        assertThat(r.body()).as("no stack trace in any response").doesNotContain("\tat ").doesNotContain("Exception:");
        return new Reply(r.statusCode(), json, r.body(), r);
    }

    @Override
    public String toString() {
        return databaseName;
    }

    @Override
    public void close() {
        app.stop();
        database.close();
    }
}
