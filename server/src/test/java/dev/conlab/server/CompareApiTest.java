package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Comparisons over the REST API (ratios, verdicts, exports, sweeps, shared permalinks), on H2 and (when configured) PostgreSQL. */
class CompareApiTest extends ApiFixture {

    @OnEachDatabase
    void two_runs_compare_with_ratios_verdicts_and_exports_in_stable_columns(InProcessServer server) throws Exception {
        start(server);
        // fixed times (the measured ones of a smoke document can be too noisy for a verdict with 2 samples): 100, 101, … ms
        ObjectNode fixed = (ObjectNode) Json.MAPPER.readTree(documentJson);
        fixed.get("results").forEach(cell -> {
            int i = 0;
            for (JsonNode sample : cell.get("samples")) ((ObjectNode) sample).put("wallNanos", (100 + 3 * i++) * 1_000_000L);
        });
        long base = send("POST", "/api/runs", upload, fixed.toString()).json().get("id").asLong();
        ObjectNode slower = fixed.deepCopy();
        slower.put("id", UUID.randomUUID().toString());
        slower.get("results").forEach(cell -> cell.get("samples").forEach(sample ->
                ((ObjectNode) sample).put("wallNanos", sample.get("wallNanos").asLong() * 2)));
        long other = send("POST", "/api/runs", upload, slower.toString()).json().get("id").asLong();

        InProcessServer.Reply c = send("GET", "/api/compare?runs=" + base + "," + other + "&baseline=" + base, null, null);
        assertThat(c.status()).as(c.text()).isEqualTo(200);
        assertThat(c.json().get("baseline").asLong()).isEqualTo(base);
        JsonNode threads = null;
        for (JsonNode block : c.json().get("workloads")) {
            for (JsonNode row : block.get("rows")) if (row.get("model").asText().equals("threads")) threads = row;
        }
        assertThat(threads).isNotNull();
        JsonNode entry = threads.get("entries").get(1);
        assertThat(entry.get("ratio").asDouble()).isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(entry.get("verdict").asText()).isEqualTo("slower");
        assertThat(threads.get("entries").get(0).get("ratio").isNull()).isTrue(); // the baseline itself
        assertThat(c.json().get("method").asText()).contains("Welch");

        InProcessServer.Reply same = send("GET", "/api/compare?runs=" + base + "," + base, null, null);
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.json().get("error").asText()).contains("2 to 10 different runs");
        assertThat(send("GET", "/api/compare?runs=" + base + ",999999", null, null).status()).isEqualTo(404);
        assertThat(send("GET", "/api/compare?runs=" + base + "," + other + "&baseline=7", null, null).json().get("error").asText())
                .contains("not one of the runs");
        assertThat(send("GET", "/api/compare?runs=" + base + "," + other + "&format=xml", null, null).status()).isEqualTo(400);

        InProcessServer.Reply csv = send("GET", "/api/compare?runs=" + base + "," + other + "&format=csv", null, null);
        assertThat(csv.text().lines().findFirst().orElseThrow()).isEqualTo(String.join(",", dev.conlab.server.compare.ComparisonTable.COLUMNS));
        assertThat(csv.text()).contains(",threads," + other + "," + base + ",ok,");
        InProcessServer.Reply md = send("GET", "/api/compare?runs=" + base + "," + other + "&format=md", null, null);
        assertThat(md.text()).contains("| workload | model | run |").contains("| slower |");

        InProcessServer.Reply page = send("GET", "/compare?runs=" + base + "&runs=" + other, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Compare 2 runs").contains("2.000×").contains("slower");
    }

    @OnEachDatabase
    void a_sweep_uploads_exports_one_row_per_point_and_compares_point_by_point_with_another(InProcessServer server) throws Exception {
        start(server);
        InProcessServer.Reply up17 = send("POST", "/api/runs", upload, dev.conlab.bench.TestDocuments.sweepJson(17));
        InProcessServer.Reply up25 = send("POST", "/api/runs", upload, dev.conlab.bench.TestDocuments.sweepJson(25));
        assertThat(up17.status()).as(up17.text()).isEqualTo(201);
        assertThat(up25.status()).as(up25.text()).isEqualTo(201);
        long jdk17 = up17.json().get("id").asLong();
        long jdk25 = up25.json().get("id").asLong();
        assertThat(send("GET", "/api/runs/" + jdk25 + "/document", null, null).json().get("sweeps").get(0).get("parameter").asText())
                .isEqualTo("sleep-io.tasks");

        // one row per point: 3 models × 3 points, each with its swept value, throughput and per-task figures
        InProcessServer.Reply csv = send("GET", "/api/runs/" + jdk25 + "/export?format=csv", null, null);
        List<String> lines = csv.text().lines().toList();
        assertThat(lines.get(0)).isEqualTo(String.join(",", dev.conlab.server.runs.RunTable.COLUMNS));
        assertThat(lines).hasSize(1 + 9);
        int swept = dev.conlab.server.runs.RunTable.COLUMNS.indexOf("swept");
        int point = dev.conlab.server.runs.RunTable.COLUMNS.indexOf("point");
        int p99 = dev.conlab.server.runs.RunTable.COLUMNS.indexOf("latency_p99_ns");
        int pinned = dev.conlab.server.runs.RunTable.COLUMNS.indexOf("pinned_count");
        var points = lines.stream().skip(1).map(l -> l.split(",", -1)).toList();
        assertThat(points).allSatisfy(f -> assertThat(f[swept]).isEqualTo("sleep-io.tasks"));
        assertThat(points).extracting(f -> f[point]).containsExactly("1", "10", "100", "1", "10", "100", "1", "10", "100");
        assertThat(points).allSatisfy(f -> assertThat(Long.parseLong(f[p99])).isGreaterThanOrEqualTo(20_000_000L));
        // pinned virtual threads are counted in virtual-thread cells only: elsewhere empty (null), not 0
        assertThat(points).filteredOn(f -> f[1].equals("virtual-threads")).allSatisfy(f -> assertThat(f[pinned]).isEqualTo("0"));
        assertThat(points).filteredOn(f -> !f[1].equals("virtual-threads")).allSatisfy(f -> assertThat(f[pinned]).isEmpty());
        JsonNode json = send("GET", "/api/runs/" + jdk25 + "/export", null, null).json();
        assertThat(json.get("findings").get(0).asText()).startsWith("sleep-io over tasks (latencyMs = 20): ");
        assertThat(send("GET", "/api/runs/" + jdk25 + "/export?format=md", null, null).text()).contains("- sleep-io over tasks");
        JsonNode doc = send("GET", "/api/runs/" + jdk17 + "/document", null, null).json();
        JsonNode threadsCell = doc.get("results").get(3);
        assertThat(threadsCell.get("samples").get(0).get("pinnedCount").isNull()).isTrue();
        assertThat(threadsCell.get("metricSources").get("pinned").asText()).startsWith("not measured: ");

        // JDK 25 against JDK 17, point by point
        InProcessServer.Reply c = send("GET", "/api/compare?runs=" + jdk17 + "," + jdk25 + "&baseline=" + jdk17, null, null);
        assertThat(c.status()).as(c.text()).isEqualTo(200);
        JsonNode rows = c.json().get("workloads").get(0).get("rows");
        assertThat(rows).hasSize(9);
        assertThat(rows.get(4).get("model").asText()).isEqualTo("threads");
        assertThat(rows.get(4).get("point").asText()).isEqualTo("tasks=10");
        assertThat(rows.get(4).get("x").asLong()).isEqualTo(10);
        assertThat(rows.get(4).get("entries").get(1).get("ratio").asDouble()).isPositive();
        InProcessServer.Reply compareCsv = send("GET", "/api/compare?runs=" + jdk17 + "," + jdk25 + "&format=csv", null, null);
        int pointColumn = dev.conlab.server.compare.ComparisonTable.COLUMNS.indexOf("point");
        assertThat(compareCsv.text().lines().filter(l -> l.split(",", -1)[pointColumn].equals("tasks=100")).count()).isEqualTo(6);
        InProcessServer.Reply page = send("GET", "/compare?runs=" + jdk17 + "&runs=" + jdk25, null, null);
        assertThat(page.text()).contains("data-compare-curve=").contains("threads @ tasks=100");

        InProcessServer.Reply runPage = send("GET", "/runs/" + jdk25, null, null);
        assertThat(runPage.text()).contains("data-curve-chart=").contains("sleep-io over tasks (latencyMs = 20)")
                .contains("data-memory-chart=").doesNotContain("data-chart=");
    }

    @OnEachDatabase
    void a_shared_comparison_keeps_its_numbers_after_new_runs_and_a_rename_and_answers_410_once_retracted(InProcessServer server) throws Exception {
        start(server);
        long a = send("POST", "/api/runs", upload, documentJson).json().get("id").asLong();
        ObjectNode copy = (ObjectNode) Json.MAPPER.readTree(documentJson);
        copy.put("id", UUID.randomUUID().toString());
        long b = send("POST", "/api/runs", upload, copy.toString()).json().get("id").asLong();
        InProcessServer.Reply created = send("POST", "/api/comparisons", upload,
                "{\"runs\": [" + a + ", " + b + "], \"baseline\": " + a + ", \"title\": \"Two <i>runs</i>\", \"note\": \"same doc\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String slug = created.json().get("slug").asText();
        assertThat(slug).hasSizeGreaterThanOrEqualTo(10).matches("[A-Za-z0-9]+");
        JsonNode before = send("GET", "/api/comparisons/" + slug, null, null).json();
        String pageBefore = send("GET", "/c/" + slug, null, null).text();

        // afterwards: another run arrives, the machine is renamed — the shared comparison does not move
        ObjectNode third = (ObjectNode) Json.MAPPER.readTree(documentJson);
        third.put("id", UUID.randomUUID().toString());
        send("POST", "/api/runs", upload, third.toString());
        long machine = send("GET", "/api/machines", null, null).json().get(0).get("id").asLong();
        assertThat(send("PATCH", "/api/machines/" + machine, admin, "{\"label\": \"renamed-box\"}").status()).isEqualTo(200);
        assertThat(send("GET", "/api/comparisons/" + slug, null, null).json()).isEqualTo(before);
        assertThat(send("GET", "/c/" + slug, null, null).text()).isEqualTo(pageBefore).contains("Two &lt;i&gt;runs&lt;/i&gt;")
                .contains("og:description").doesNotContain("renamed-box");
        assertThat(send("GET", "/api/compare?runs=" + a + "," + b, null, null).text()).contains("renamed-box"); // the live one does

        assertThat(send("POST", "/api/comparisons", upload, "{\"runs\": [" + a + ", " + b + "]}").json().get("error").asText())
                .contains("title");
        assertThat(send("DELETE", "/api/comparisons/" + slug, admin, null).status()).isEqualTo(204);
        assertThat(send("GET", "/c/" + slug, null, null).status()).isEqualTo(410);
        assertThat(send("GET", "/api/comparisons/" + slug, null, null).status()).isEqualTo(410);
        assertThat(send("GET", "/c/nosuchslug123", null, null).status()).isEqualTo(404);
    }
}
