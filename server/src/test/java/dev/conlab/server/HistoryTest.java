package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.bench.TestDocuments;
import dev.conlab.db.Scope;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #18's acceptance for history and regressions, through the real store and API: 60 nightly runs of one machine,
 * sleep-io × threads 15 % slower from run 40 on, sleep-io × sequential with the same noise and no step.
 */
class HistoryTest {

    /** A night's document: the small document's cells, with the two cells' samples set to their night's medians. */
    private static String night(int night, double threads, double sequential) throws Exception {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(TestDocuments.smallJson());
        doc.put("id", UUID.randomUUID().toString());
        Instant start = Instant.parse("2026-09-01T02:00:00Z").plus(night, ChronoUnit.DAYS);
        doc.put("startedAt", start.toString());
        doc.put("finishedAt", start.plusSeconds(60).toString());
        for (JsonNode cell : doc.get("results")) {
            String model = cell.get("model").asText();
            if (!cell.get("workload").asText().equals("sleep-io") || cell.get("samples") == null) continue;
            double median = model.equals("threads") ? threads : sequential;
            ArrayNode samples = (ArrayNode) cell.get("samples");
            ((ObjectNode) samples.get(0)).put("wallNanos", Math.round(median * 0.999));
            ((ObjectNode) samples.get(1)).put("wallNanos", Math.round(median * 1.001));
        }
        return Json.MAPPER.writeValueAsString(doc);
    }

    @OnEachDatabase
    void sixty_nightly_runs_with_a_fifteen_percent_step_at_run_40_raise_one_alert_there_and_none_elsewhere(InProcessServer server) throws Exception {
        String upload = server.token("nightly", Scope.UPLOAD);
        var random = new SplittableRandom(18);
        var ids = new ArrayList<Long>();
        for (int night = 0; night < 60; night++) {
            double threads = 40e6 * Math.exp(0.02 * gaussian(random)) * (night >= 40 ? 1.15 : 1.0);
            double sequential = 400e6 * Math.exp(0.02 * gaussian(random));
            InProcessServer.Reply stored = server.send("POST", "/api/runs", upload, night(night, threads, sequential));
            assertThat(stored.status()).as(stored.text()).isEqualTo(201);
            ids.add(stored.json().get("id").asLong());
        }
        long machine = server.get("/api/runs/" + ids.get(0)).json().get("run").get("machineId").asLong();

        JsonNode history = server.get("/api/machines/" + machine + "/history?workload=sleep-io&model=threads").json();
        assertThat(history.get("lines")).hasSize(1);
        assertThat(history.get("lines").get(0).get("points")).hasSize(60);
        assertThat(history.get("alerts")).singleElement().satisfies(alert -> {
            assertThat(alert.get("kind").asText()).isEqualTo("regression");
            assertThat(alert.get("beforeRunId").asLong()).isEqualTo(ids.get(39));
            assertThat(alert.get("afterRunId").asLong()).isEqualTo(ids.get(40));
            assertThat(alert.get("change").asDouble()).isBetween(0.10, 0.20);
            assertThat(alert.get("compareUrl").asText()).startsWith("/compare?runs=" + ids.get(39) + "," + ids.get(40));
        });
        assertThat(server.get("/api/machines/" + machine + "/history?workload=sleep-io&model=sequential").json().get("alerts")).isEmpty();

        // the feed has the one regression; the CSV every run; the page the chart's data, the table and the alert
        JsonNode feed = server.get("/api/alerts").json();
        assertThat(feed.get("version").asText()).isEqualTo("https://jsonfeed.org/version/1.1");
        assertThat(feed.get("items")).singleElement().satisfies(item ->
                assertThat(item.get("title").asText()).startsWith("Regression: sleep-io × threads"));
        InProcessServer.Reply csv = server.get("/api/machines/" + machine + "/history?workload=sleep-io&model=threads&format=csv");
        assertThat(csv.text().lines()).hasSize(61);
        InProcessServer.Reply page = server.get("/machines/" + machine + "/history?workload=sleep-io&model=threads");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("data-history-chart").contains("regression").contains("#" + ids.get(40));
        assertThat(server.get("/machines/" + machine).text()).contains("15.").contains("slower");
        assertThat(server.get("/").text()).contains("Regressions and improvements");

        // bad questions get their sentence
        InProcessServer.Reply none = server.get("/api/machines/" + machine + "/history?workload=sleep-io&model=green-threads");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().get("error").asText()).contains("its cells: ").contains("sleep-io × threads");
        assertThat(server.get("/api/machines/" + machine + "/history").status()).isEqualTo(400);
        assertThat(server.get("/api/machines/999999/history?workload=sleep-io&model=threads").status()).isEqualTo(404);
    }

    static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
