package dev.conlab.server;

import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.db.Scope;
import org.junit.jupiter.api.BeforeAll;

import java.net.http.HttpClient;

/**
 * What the REST API tests share (ApiTest, CompareApiTest): a small document, and per test the in-process server on its
 * database ({@link OnEachDatabase}) with a token of each scope.
 */
abstract class ApiFixture {

    static String documentJson;
    static RunDocument document;

    @BeforeAll
    static void load() throws Exception {
        document = dev.conlab.bench.TestDocuments.small();
        documentJson = Json.PRETTY.writeValueAsString(document);
    }

    InProcessServer server;
    final HttpClient http = HttpClient.newHttpClient();
    String base;
    String upload;
    String admin;
    String queue;

    /** Takes the test's server and makes its tokens. */
    void start(InProcessServer started) {
        server = started;
        upload = server.token("uploader", Scope.UPLOAD);
        admin = server.token("admin", Scope.ADMIN);
        queue = server.token("queuer", Scope.QUEUE);
        base = server.base();
    }

    InProcessServer.Reply send(String method, String path, String token, String body) throws Exception {
        return server.send(method, path, token, body);
    }
}
