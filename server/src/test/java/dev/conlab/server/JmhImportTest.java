package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.bench.TestDocuments;
import dev.conlab.db.Scope;
import dev.conlab.server.core.Fmt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #18's acceptance for JMH import, through the real upload endpoint and store: two real JMH 1.37 result files
 * (bench/jmh's ImportSample on JDK 17 and 25, throughput and average-time modes, two @Param points, the GC profiler;
 * written by bench/jmh/import-sample.sh) become runs whose cells' medians are the medians of JMH's raw data, whose
 * pages show JMH's score and error, and whose comparison gets the direction of each mode right; a file with a broken
 * field is refused with its JSON path and stores nothing.
 */
class JmhImportTest {

    private static final Path JDK17 = Path.of("src/test/resources/jmh/import-sample-jdk17.json");
    private static final Path JDK25 = Path.of("src/test/resources/jmh/import-sample-jdk25.json");

    /** A machine the lab knows: the small document's. */
    private static long machine(InProcessServer server, String token) throws Exception {
        InProcessServer.Reply stored = server.send("POST", "/api/runs", token, TestDocuments.smallJson());
        assertThat(stored.status()).as(stored.text()).isEqualTo(201);
        return server.get("/api/runs/" + stored.json().get("id").asLong()).json().get("run").get("machineId").asLong();
    }

    private static double median(JsonNode rawData) {
        var values = new ArrayList<Double>();
        rawData.forEach(fork -> fork.forEach(v -> values.add(v.asDouble())));
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    @OnEachDatabase
    void a_real_jmh_file_imports_every_benchmark_as_a_cell_with_the_median_of_its_raw_data_and_jmh_score_beside_it(InProcessServer server)
            throws Exception {
        String token = server.token("jmh", Scope.UPLOAD);
        long machine = machine(server, token);
        String text = Files.readString(JDK17);
        JsonNode jmh = Json.MAPPER.readTree(text);

        InProcessServer.Reply stored = server.send("POST", "/api/runs?machine=" + machine + "&file=import-sample-jdk17.json", token, text);
        assertThat(stored.status()).as(stored.text()).isEqualTo(201);
        long run = stored.json().get("id").asLong();

        JsonNode answer = server.get("/api/runs/" + run).json();
        assertThat(answer.get("run").get("suite").asText()).isEqualTo("jmh");
        assertThat(answer.get("run").get("machineId").asLong()).isEqualTo(machine);
        assertThat(answer.get("run").get("jdkVersion").asText()).isEqualTo(jmh.get(0).get("jdkVersion").asText());
        JsonNode cells = answer.get("cells");
        assertThat(cells).hasSize(jmh.size());
        String page = server.get("/runs/" + run).text();
        for (int i = 0; i < jmh.size(); i++) {
            JsonNode entry = jmh.get(i);
            JsonNode cell = cells.get(i);
            String benchmark = entry.get("benchmark").asText();
            assertThat(cell.get("workload").asText()).isEqualTo(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
            assertThat(cell.get("model").asText()).isEqualTo(entry.get("mode").asText());
            assertThat(cell.get("params").get("size").asText()).isEqualTo(entry.get("params").get("size").asText());
            JsonNode raw = entry.get("primaryMetric").get("rawData");
            assertThat(cell.get("samples").asInt()).isEqualTo(raw.size() * raw.get(0).size());
            assertThat(cell.get("wall").get("median").asDouble()).isEqualTo(median(raw));
            // JMH's own score and error, in its unit, next to the lab's median on the page
            double score = entry.get("primaryMetric").get("score").asDouble();
            String unit = entry.get("primaryMetric").get("scoreUnit").asText();
            assertThat(page).contains(Fmt.score(score, unit) + " ± " + Fmt.score(entry.get("primaryMetric").get("scoreError").asDouble(), "").strip());
            assertThat(page).contains(Fmt.score(median(raw), unit));
        }
        assertThat(page).contains("higher is better").contains("lower is better").contains("Allocated per op");

        // every JMH field is kept: the stored document has the file's entries as JMH wrote them
        JsonNode document = Json.MAPPER.readTree(server.get("/api/runs/" + run + "/document").text());
        assertThat(document.get("jmh").get("benchmarks")).isEqualTo(jmh);
        assertThat(document.get("jmh").get("jmhVersion").asText()).isEqualTo("1.37");
        assertThat(document.get("results").get(0).get("jmh").get("secondaryMetrics").has("gc.alloc.rate.norm")).isTrue();

        // the same file for the same machine again is the same run
        InProcessServer.Reply again = server.send("POST", "/api/runs?machine=" + machine, token, text);
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.json().get("id").asLong()).isEqualTo(run);
    }

    @OnEachDatabase
    void two_jmh_files_compare_with_the_direction_of_each_mode(InProcessServer server) throws Exception {
        String token = server.token("jmh", Scope.UPLOAD);
        long machine = machine(server, token);
        long jdk17 = server.send("POST", "/api/runs?machine=" + machine, token, Files.readString(JDK17)).json().get("id").asLong();
        long jdk25 = server.send("POST", "/api/runs?machine=" + machine, token, Files.readString(JDK25)).json().get("id").asLong();

        JsonNode comparison = server.get("/api/compare?runs=" + jdk17 + "," + jdk25 + "&baseline=" + jdk17).json();
        int thrpt = 0, avgt = 0;
        for (JsonNode block : comparison.get("workloads")) {
            for (JsonNode row : block.get("rows")) {
                JsonNode other = row.get("entries").get(1);
                String mode = row.get("model").asText();
                // @Param size varies (1000, 100000): each row is a point of its mode's curve over it
                assertThat(row.get("x").asDouble()).isEqualTo(Double.parseDouble(row.get("point").asText().replace("size=", "")));
                assertThat(row.get("line").asText()).isEqualTo(mode + ", 1 thread");
                assertThat(row.get("swept").asText()).isEqualTo("size");
                assertThat(other.get("higherIsBetter").asBoolean()).isEqualTo(mode.equals("thrpt"));
                assertThat(other.get("unit").asText()).isEqualTo(mode.equals("thrpt") ? "ops/us" : "us/op");
                String verdict = other.get("verdict").asText();
                if (!verdict.equals("faster") && !verdict.equals("slower")) continue;
                // a throughput above the baseline's is faster; a time per op above it is slower
                boolean above = other.get("ratio").asDouble() > 1;
                assertThat(verdict).as(row.toString()).isEqualTo(above == mode.equals("thrpt") ? "faster" : "slower");
                if (mode.equals("thrpt")) thrpt++; else avgt++;
            }
        }
        // both modes had significant differences to judge (JDK 25 sums 4–5× faster here: FINDINGS §14)
        assertThat(thrpt).isPositive();
        assertThat(avgt).isPositive();
        String page = server.get("/compare?runs=" + jdk17 + "," + jdk25).text();
        assertThat(page).contains("ops/us, higher is better").contains("us/op, lower is better");
        // each benchmark's runs overlaid over @Param size, a chart per unit (2 benchmarks × thrpt and avgt)
        assertThat(page.split("data-compare-curve=", -1)).hasSize(1 + 4);
        assertThat(page).contains("@Param size").contains("median (ops/us, higher is better)").contains("median (us/op, lower is better)");
    }

    @OnEachDatabase
    void a_jmh_file_with_a_broken_field_is_refused_with_its_json_path_and_nothing_is_stored(InProcessServer server) throws Exception {
        String token = server.token("jmh", Scope.UPLOAD);
        long machine = machine(server, token);
        int before = server.get("/api/health").json().get("runs").asInt();
        ArrayNode jmh = (ArrayNode) Json.MAPPER.readTree(Files.readString(JDK17));
        ((ArrayNode) jmh.get(3).get("primaryMetric").get("rawData").get(1)).set(2, Json.MAPPER.getNodeFactory().textNode("fast"));
        ((ObjectNode) jmh.get(5)).put("mode", "throughput");
        ((ObjectNode) jmh.get(6)).remove("primaryMetric");

        InProcessServer.Reply refused = server.send("POST", "/api/runs?machine=" + machine, token, Json.MAPPER.writeValueAsString(jmh));
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        List<String> paths = new ArrayList<>();
        refused.json().get("details").forEach(d -> paths.add(d.get("path").asText()));
        assertThat(paths).containsExactly("$[3].primaryMetric.rawData[1][2]", "$[5].mode", "$[6].primaryMetric");
        assertThat(refused.text()).doesNotContain("Exception");
        assertThat(server.get("/api/health").json().get("runs").asInt()).isEqualTo(before);

        // a file that names no machine, or a machine the lab does not know, is refused with what to do
        InProcessServer.Reply noMachine = server.send("POST", "/api/runs", token, Files.readString(JDK17));
        assertThat(noMachine.status()).isEqualTo(400);
        assertThat(noMachine.json().get("error").asText()).contains("?machine=ID").contains("conlab upload --jmh");
        assertThat(server.send("POST", "/api/runs?machine=999999", token, Files.readString(JDK17)).status()).isEqualTo(404);
        assertThat(server.send("POST", "/api/runs?format=jmh&machine=" + machine, token, "{\"a\": 1}").json().get("details").get(0)
                .get("message").asText()).contains("JSON array");
        assertThat(server.get("/api/health").json().get("runs").asInt()).isEqualTo(before);
        assertThat(Arrays.asList(refused.json().get("error").asText().split(" "))).contains("JMH");
    }
}
