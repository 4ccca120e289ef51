package dev.conlab.server;

import dev.conlab.bench.Json;
import dev.conlab.bench.TestDocuments;
import dev.conlab.db.Scope;

import java.net.URI;
import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages of things that never change — a finished run, a shared comparison — are rendered once and answered with an
 * ETag (304 to a browser that has them), yet never outlive what they show: a renamed machine, a deleted run, a
 * retracted comparison.
 */
class PageCacheTest {

    @OnEachDatabase
    void a_finished_runs_page_and_a_shared_comparison_are_answered_with_validators_and_follow_what_changes(InProcessServer server) throws Exception {
        String upload = server.token("uploader", Scope.UPLOAD);
        String admin = server.token("admin", Scope.ADMIN);
        long a = server.send("POST", "/api/runs", upload, Json.MAPPER.writeValueAsString(TestDocuments.small())).json().get("id").asLong();
        long b = server.send("POST", "/api/runs", upload, Json.MAPPER.writeValueAsString(TestDocuments.small())).json().get("id").asLong();

        InProcessServer.Reply first = server.get("/runs/" + a);
        assertThat(first.status()).isEqualTo(200);
        String etag = first.response().headers().firstValue("ETag").orElseThrow();
        assertThat(first.response().headers().firstValue("Cache-Control")).contains("public, max-age=60, must-revalidate");
        InProcessServer.Reply again = server.get("/runs/" + a);
        assertThat(again.text()).isEqualTo(first.text());
        InProcessServer.Reply unchanged = server.send(HttpRequest.newBuilder(URI.create(server.base() + "/runs/" + a)).header("If-None-Match", etag));
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.text()).isEmpty();

        // a history page is kept rendered while the machine's runs do not change, and shows a new run once they do
        var cell = TestDocuments.small().results().get(0);
        long owner = server.get("/api/runs/" + a).json().get("run").get("machineId").asLong();
        String history = "/machines/" + owner + "/history?workload=" + cell.workload() + "&model=" + cell.model();
        InProcessServer.Reply historyPage = server.get(history);
        assertThat(historyPage.status()).isEqualTo(200);
        assertThat(historyPage.text()).contains("href=\"/runs/" + b + "\"");
        assertThat(server.get(history).text()).isEqualTo(historyPage.text());
        long c = server.send("POST", "/api/runs", upload, Json.MAPPER.writeValueAsString(TestDocuments.small())).json().get("id").asLong();
        assertThat(server.get(history).text()).contains("href=\"/runs/" + c + "\"");

        // the machine renamed: a new page, a new validator
        long machine = server.get("/api/runs/" + a).json().get("run").get("machineId").asLong();
        assertThat(server.send("PATCH", "/api/machines/" + machine, admin, "{\"label\": \"renamed-box\"}").status()).isEqualTo(200);
        InProcessServer.Reply renamed = server.send(HttpRequest.newBuilder(URI.create(server.base() + "/runs/" + a)).header("If-None-Match", etag));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.text()).contains("renamed-box");
        assertThat(renamed.response().headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);

        // a shared comparison: cached, and 410 once retracted
        InProcessServer.Reply shared = server.send("POST", "/api/comparisons", upload, "{\"runs\": [" + a + ", " + b + "], \"title\": \"cache test\"}");
        String slug = shared.json().get("slug").asText();
        InProcessServer.Reply page = server.get("/c/" + slug);
        assertThat(page.status()).isEqualTo(200);
        String comparisonTag = page.response().headers().firstValue("ETag").orElseThrow();
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base() + "/c/" + slug)).header("If-None-Match", comparisonTag)).status())
                .isEqualTo(304);
        assertThat(server.send("DELETE", "/api/comparisons/" + slug, admin, null).status()).isEqualTo(204);
        assertThat(server.get("/c/" + slug).status()).isEqualTo(410);

        // the run deleted: 404, not the page kept in memory
        assertThat(server.send("DELETE", "/api/runs/" + a, admin, null).status()).isEqualTo(204);
        assertThat(server.get("/runs/" + a).status()).isEqualTo(404);
    }
}
