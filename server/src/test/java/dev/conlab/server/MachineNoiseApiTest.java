package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.ForkRecord;
import dev.conlab.bench.Json;
import dev.conlab.bench.MachineState;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Sitting;
import dev.conlab.bench.TestDocuments;
import dev.conlab.db.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the machine beside the forks adds to the API: the run export's columns, a comparison of runs from one interleaved
 * sitting paired round by round, a machine's check ({@code conlab doctor --upload}), and the queue's new fields — on H2 and
 * (when configured) PostgreSQL.
 */
class MachineNoiseApiTest {

    private static MachineState machine(double capacity, double other) {
        var c = new MachineState.Capacity(2, 2_000_000, 3, 3_500_000, 3_600_000, 3_500_000, capacity * 2, "2026-12-06T00:00:00Z");
        return new MachineState(c, c, 2_000_000_000L, 2, 3_000_000_000L, 10_000_000L, (long) (other * 4e9), other, other, 0.0, 0L, 0L,
                0.1, 0.1, 1.5, 3, 0.05, null, Map.of("mhz", "no cpufreq"));
    }

    /**
     * The small document's measured cells, each in {@code rounds} forks of one round each, its times × {@code factor} × the
     * round's drift; fork 1 of the first cell disturbed (kept, left out).
     */
    private static RunDocument sittingDocument(String sitting, double factor, int rounds) {
        RunDocument t = TestDocuments.small();
        double[] drift = {1.0, 1.3, 0.9, 1.2, 1.05, 0.95};
        var cells = new ArrayList<CellResult>();
        for (int c = 0; c < t.results().size(); c++) {
            CellResult cell = t.results().get(c);
            if (cell.samples().isEmpty()) {
                cells.add(cell);
                continue;
            }
            var samples = new ArrayList<Sample>();
            var forks = new ArrayList<ForkRecord>();
            for (int r = 0; r < rounds; r++) {
                for (Sample s : cell.samples()) samples.add(new Sample(Math.round(s.wallNanos() * factor * drift[r]), s.cpuNanos(), s.allocBytes(),
                        s.gcCount(), s.gcNanos(), s.peakThreads(), s.ctxSwitchesVoluntary(), s.ctxSwitchesInvoluntary(), r));
                boolean disturbed = c == 0 && r == 1;
                forks.add(new ForkRecord(r, r, 1000L + r, machine(disturbed ? 0.5 : 0.9, disturbed ? 0.45 : 0.01),
                        disturbed ? "other processes used 45 % of the 2 CPUs during fork 2" : null));
            }
            cells.add(new CellResult(cell.workload(), cell.model(), cell.params(), cell.modelParams(), cell.status(), cell.concurrency(),
                    cell.idealNanos(), cell.idealFormula(), cell.oneThreadNanos(), List.of(), samples, cell.metricSources(), null, null)
                    .withForks(forks, rounds + " clean forks, as set"));
        }
        return new RunDocument(t.schema(), UUID.randomUUID().toString(), t.startedAt(), t.finishedAt(), t.suite(), t.machine(), t.jvm(),
                t.settings(), cells, null, null, null, null, new Sitting(sitting, 2, true, 42L, rounds));
    }

    @OnEachDatabase
    void runs_of_one_interleaved_sitting_compare_paired_round_by_round_and_exports_carry_the_machine(InProcessServer server) throws Exception {
        String upload = server.token("uploader", Scope.UPLOAD);
        String sitting = UUID.randomUUID().toString();
        long a = server.send("POST", "/api/runs", upload, Json.MAPPER.writeValueAsString(sittingDocument(sitting, 1.0, 6))).json().get("id").asLong();
        long b = server.send("POST", "/api/runs", upload, Json.MAPPER.writeValueAsString(sittingDocument(sitting, 0.9, 6))).json().get("id").asLong();
        // the same figures from another sitting: not paired
        long c = server.send("POST", "/api/runs", upload, Json.MAPPER.writeValueAsString(sittingDocument(UUID.randomUUID().toString(), 0.9, 6)))
                .json().get("id").asLong();

        JsonNode paired = server.send("GET", "/api/compare?runs=" + a + "," + b + "," + c + "&baseline=" + a, null, null).json();
        JsonNode row = paired.get("workloads").get(0).get("rows").get(1); // sleep-io × threads: every fork clean
        JsonNode sameSitting = row.get("entries").get(1);
        JsonNode otherSitting = row.get("entries").get(2);
        assertThat(sameSitting.get("paired").asBoolean()).isTrue();
        assertThat(sameSitting.get("rounds").asInt()).isEqualTo(6);
        // each round's ratio is 0.9 whatever the drift: paired, the interval is exact and the verdict certain
        assertThat(sameSitting.get("ratio").asDouble()).isCloseTo(0.9, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(sameSitting.get("verdict").asText()).isEqualTo("faster");
        assertThat(otherSitting.get("paired").asBoolean()).isFalse();
        assertThat(otherSitting.get("rounds").isNull()).isTrue();
        assertThat(paired.get("method").asText()).contains("paired");
        // the disturbed fork is named where the first cell is compared
        JsonNode first = paired.get("workloads").get(0).get("rows").get(0).get("entries").get(0);
        assertThat(first.get("disturbed").asText()).contains("other processes used 45 %");

        String csv = server.send("GET", "/api/compare?runs=" + a + "," + b + "&baseline=" + a + "&format=csv", null, null).text();
        assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",paired,rounds,disturbed");

        String export = server.send("GET", "/api/runs/" + a + "/export?format=csv", null, null).text();
        List<String> lines = export.lines().toList();
        assertThat(lines.get(0)).endsWith(",disturbed,other_cpu_share,capacity,ci_half_width_pct");
        assertThat(lines.get(1)).contains(",true,0.450,0.900,"); // sleep-io × sequential: one disturbed fork, the worst share, the median capacity
        assertThat(lines.get(2)).contains(",false,0.010,0.900,");
        JsonNode json = server.send("GET", "/api/runs/" + a + "/export?format=json", null, null).json();
        assertThat(json.toString()).contains("\"disturbed\"").contains("\"capacity\"");

        String page = server.send("GET", "/runs/" + a, null, null).text();
        assertThat(page).contains("1 of 6 forks left out of the statistics: other processes used 45 %").contains("5 + 1 disturbed");
    }

    @OnEachDatabase
    void a_machines_check_is_kept_for_its_page_and_a_bad_one_is_refused_with_a_sentence(InProcessServer server) throws Exception {
        String upload = server.token("uploader", Scope.UPLOAD);
        var check = new dev.conlab.bench.MachineCheck("2026-12-06T22:00:00Z", "lab-1", "0123456789abcdef", 2,
                List.of(new dev.conlab.bench.MachineCheck.Item("CPU frequency governor", "absent", dev.conlab.bench.MachineCheck.Level.UNKNOWN,
                        "no cpufreq"), new dev.conlab.bench.MachineCheck.Item("Capacity", "0.90 / 1.80 / 1.95 of 2 CPUs",
                        dev.conlab.bench.MachineCheck.Level.WARN, "use --interleave")),
                new dev.conlab.bench.MachineCheck.CapacityRange(10, 90, 2, 0.9, 1.8, 1.95, 0.01, 0.0), dev.conlab.bench.MachineCheck.Level.WARN);
        String body = Json.MAPPER.writeValueAsString(Map.of("machine", TestDocuments.small().machine(), "check", check));
        assertThat(server.send("POST", "/api/machines/checks", null, body).status()).isEqualTo(401);
        InProcessServer.Reply stored = server.send("POST", "/api/machines/checks", upload, body);
        assertThat(stored.status()).as(stored.text()).isEqualTo(201);
        long machine = stored.json().get("machine").asLong();
        assertThat(stored.json().get("url").asText()).isEqualTo("/machines/" + machine);
        JsonNode answer = server.send("GET", "/api/machines/" + machine, null, null).json();
        assertThat(answer.get("check").get("verdict").asText()).isEqualTo("warn");
        assertThat(answer.get("check").get("capacity").get("median").asDouble()).isEqualTo(1.8);
        assertThat(server.send("GET", "/machines/" + machine, null, null).text()).contains("Fit to measure?").contains("usable, with care")
                .contains("use --interleave");

        InProcessServer.Reply bad = server.send("POST", "/api/machines/checks", upload, "{\"machine\": {\"fingerprint\": \"x\"}, \"check\": {}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("fingerprint");
        InProcessServer.Reply notJson = server.send("POST", "/api/machines/checks", upload, "[1, 2");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("error").asText()).contains("conlab doctor --json");
    }

    @OnEachDatabase
    void the_queue_takes_a_target_interval_and_interleaving_and_names_a_bad_field(InProcessServer server) throws Exception {
        String queue = server.token("queuer", Scope.QUEUE);
        InProcessServer.Reply queued = server.send("POST", "/api/queue", queue,
                "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"], \"models\": [\"sequential\"], \"jdks\": [\"all\"], \"interleave\": true, "
                        + "\"targetCiPct\": 5, \"maxForks\": 6, \"runTimeoutSeconds\": 60}");
        assertThat(queued.status()).as(queued.text()).isEqualTo(201);
        for (JsonNode run : queued.json().get("runs")) server.send("POST", "/api/queue/" + run.get("id").asLong() + "/cancel", queue, null);
        InProcessServer.Reply bad = server.send("POST", "/api/queue", queue, "{\"interleave\": \"yes\", \"targetCiPct\": 500}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("$.interleave").contains("$.targetCiPct");
        InProcessServer.Reply noTarget = server.send("POST", "/api/queue", queue, "{\"suite\": \"smoke\", \"maxForks\": 6}");
        assertThat(noTarget.status()).isEqualTo(400);
        assertThat(noTarget.json().get("error").asText()).contains("--target-ci");
    }
}
