package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.server.runs.DocumentValidator;
import org.junit.jupiter.api.BeforeAll;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents a hostile or careless sender might upload: each is refused with a sentence that says what is wrong
 * (and nothing of it is stored), or stored exactly as sent and shown escaped. On H2 and PostgreSQL.
 */
class HostileDocumentsTest {

    static final String SCRIPT = "<script>alert(1)</script>";
    static final String SQL = "'; DROP TABLE run; --";

    static String valid;

    @BeforeAll
    static void measure() throws Exception {
        valid = Json.MAPPER.writeValueAsString(dev.conlab.bench.TestDocuments.small());
    }

    private InProcessServer server;
    private Database database;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;
    private String upload;

    private void start(InProcessServer started) {
        server = started;
        database = server.database();
        upload = server.token("uploader", Scope.UPLOAD);
        base = server.base();
    }

    private HttpResponse<String> post(byte[] body, String contentType) throws Exception {
        // Expect: 100-continue (as curl sends for large bodies): a 413 comes before the body is sent
        var request = HttpRequest.newBuilder(URI.create(base + "/api/runs")).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .expectContinue(body.length > 1 << 20)
                .header("Authorization", "Bearer " + upload);
        if (contentType != null) request.header("Content-Type", contentType);
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContainIgnoringCase("sql state");
        return r;
    }

    private static ObjectNode doc() throws Exception {
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree(valid);
        node.put("id", UUID.randomUUID().toString());
        return node;
    }

    private static String with(Consumer<ObjectNode> change) throws Exception {
        ObjectNode node = doc();
        change.accept(node);
        return node.toString();
    }

    record Case(String name, byte[] body, String contentType, int status, String says) {
        Case(String name, String body, int status, String says) {
            this(name, body.getBytes(StandardCharsets.UTF_8), "application/json", status, says);
        }
    }

    static List<Case> refused() throws Exception {
        String megabytes = "x".repeat(3 << 20);
        byte[] invalidUtf8 = valid.getBytes(StandardCharsets.UTF_8);
        invalidUtf8 = Arrays.copyOf(invalidUtf8, invalidUtf8.length);
        int at = valid.indexOf("\"suite\"");
        invalidUtf8[at + 1] = (byte) 0xC3; // a lead byte followed by an ASCII letter
        return List.of(
                new Case("empty body", "", 400, "the body is empty"),
                new Case("JSON null", "null", 400, "a result document is a JSON object"),
                new Case("a top-level array", "[" + valid + "]", 400, "a result document is a JSON object"),
                new Case("deeply nested", "[".repeat(100_000) + "]".repeat(100_000), 400, "nesting depth"),
                new Case("deeply nested inside a document", with(d -> d.put("extra", "NEST")).replace("\"NEST\"", "[".repeat(2000) + "1" + "]".repeat(2000)), 400, "nesting depth"),
                new Case("truncated", valid.substring(0, valid.length() / 2), 400, "not valid JSON"),
                new Case("NaN", with(d -> d.put("placeholder", 0)).replace("\"placeholder\":0", "\"placeholder\":NaN"), 400, "not valid JSON"),
                new Case("Infinity", with(d -> d.put("placeholder", 0)).replace("\"placeholder\":0", "\"placeholder\":Infinity"), 400, "not valid JSON"),
                new Case("a wall time of 1e400 ns", with(d -> sample(d).put("wallNanos", 0)).replaceFirst("\"wallNanos\":0", "\"wallNanos\":1e400"), 400, "wallNanos"),
                new Case("a wall time beyond a long", with(d -> sample(d).put("wallNanos", 0)).replaceFirst("\"wallNanos\":0", "\"wallNanos\":99999999999999999999999"), 400, "wallNanos"),
                new Case("a negative wall time", with(d -> sample(d).put("wallNanos", -5)), 400, "wallNanos"),
                new Case("a JDK feature of 2^31", with(d -> ((ObjectNode) d.get("jvm")).put("feature", 2147483648L)), 400, "feature"),
                new Case("3 MB in a text field", with(d -> ((ObjectNode) d.get("machine")).put("hostname", megabytes)), 400, "hostname"),
                new Case("100,001 samples in a cell", with(d -> {
                    ArrayNode samples = (ArrayNode) d.get("results").get(0).get("samples");
                    JsonNode one = samples.get(0);
                    samples.removeAll();
                    for (int i = 0; i < 100_001; i++) samples.add(one);
                }), 413, "8 MiB"), // 100,000 samples is the schema's limit, but 8 MiB comes first
                new Case("1,001 warm-up times", with(d -> {
                    ArrayNode w = ((ObjectNode) d.get("results").get(0)).putArray("warmupWallNanos");
                    for (int i = 0; i < 1001; i++) w.add(1);
                }), 400, "warmupWallNanos"),
                new Case("10,001 cells", with(d -> {
                    ArrayNode cells = (ArrayNode) d.get("results");
                    JsonNode one = cells.get(cells.size() - 1);
                    cells.removeAll();
                    for (int i = 0; i < 10_001; i++) cells.add(one);
                }), 413, "8 MiB"),
                new Case("duplicate keys", valid.replaceFirst("\\{", "{\"suite\":\"seed\","), 400, "Duplicate field 'suite'"),
                new Case("U+0000 in a text field", with(d -> ((ObjectNode) d.get("machine")).put("hostname", "NUL")).replace("NUL", "a\\u0000b"), 400, "U+0000"),
                new Case("an unpaired surrogate", with(d -> ((ObjectNode) d.get("machine")).put("hostname", "SURROGATE")).replace("SURROGATE", "a\\ud800b"), 400, "surrogate"),
                new Case("invalid UTF-8", invalidUtf8, "application/json", 400, "not valid UTF-8"),
                new Case("a form upload", valid.getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=x", 415, "application/json"),
                new Case("XML", "<run/>".getBytes(StandardCharsets.UTF_8), "application/xml", 415, "application/json"),
                new Case("a script as the schema", with(d -> d.put("schema", SCRIPT)), 400, "unknown schema version"),
                new Case("SQL as the id", with(d -> d.put("id", SQL)), 400, "$.id"),
                new Case("a script as a model id", with(d -> ((ObjectNode) d.get("results").get(0)).put("model", SCRIPT)), 400, "model"));
    }

    private static ObjectNode sample(ObjectNode doc) {
        for (JsonNode cell : doc.get("results")) {
            if (cell.get("samples").size() > 0) return (ObjectNode) cell.get("samples").get(0);
        }
        throw new AssertionError("no sample");
    }

    @OnEachDatabase
    void hostile_documents_are_refused_with_a_sentence_and_nothing_is_stored(InProcessServer started) throws Exception {
        start(started);
        var failures = new ArrayList<String>();
        for (Case c : refused()) {
            HttpResponse<String> r = post(c.body(), c.contentType());
            JsonNode json = Json.MAPPER.readTree(r.body());
            String said = json.path("error").asText() + " " + json.path("details");
            if (r.statusCode() != c.status() || !said.contains(c.says())) {
                failures.add(c.name() + ": expected " + c.status() + " saying '" + c.says() + "', got " + r.statusCode() + " " + abbreviate(r.body()));
            }
        }
        assertThat(failures).isEmpty();
        assertThat(database.dsl().fetchCount(org.jooq.impl.DSL.table("run"))).isZero();
        assertThat(database.dsl().fetchCount(org.jooq.impl.DSL.table("cell"))).isZero();
        assertThat(database.dsl().fetchCount(org.jooq.impl.DSL.table("sample"))).isZero();
    }

    @OnEachDatabase
    void script_and_sql_in_every_free_text_field_are_stored_verbatim_and_shown_escaped(InProcessServer started) throws Exception {
        start(started);
        ObjectNode node = doc();
        var replaced = new ArrayList<String>();
        replaceTexts(node, node, "$", replaced);
        assertThat(replaced).as("free text fields that take any text").hasSizeGreaterThan(5);
        String text = node.toString();
        HttpResponse<String> r = post(text.getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        long id = Json.MAPPER.readTree(r.body()).get("id").asLong();
        String stored = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id + "/document")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(stored).isEqualTo(text);
        for (String path : List.of("/", "/runs", "/runs/" + id, "/machines", "/machines/1", "/jdks", "/pythons", "/claims",
                "/compare?runs=" + id + "," + id)) {
            String page = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).as(path).doesNotContain(SCRIPT);
        }
        String page = http.send(HttpRequest.newBuilder(URI.create(base + "/runs/" + id)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        // the SQL did nothing: the tables are there and hold the run
        assertThat(database.dsl().fetchCount(org.jooq.impl.DSL.table("run"))).isEqualTo(1);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("\"id\":" + id);
    }

    /** Every text value the schema lets take any text gets the script and the SQL; the rest (ids, enums, times) stay. */
    private static void replaceTexts(ObjectNode root, JsonNode node, String path, List<String> replaced) {
        if (node instanceof ObjectNode object) {
            for (var field : List.copyOf(object.properties())) {
                JsonNode value = field.getValue();
                String at = path + "." + field.getKey();
                if (value.isTextual()) {
                    object.set(field.getKey(), TextNode.valueOf(SCRIPT + SQL));
                    if (DocumentValidator.validate(root.toString()).valid()) replaced.add(at);
                    else object.set(field.getKey(), value);
                } else {
                    replaceTexts(root, value, at, replaced);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    JsonNode value = array.get(i);
                    array.set(i, TextNode.valueOf(SCRIPT + SQL));
                    if (DocumentValidator.validate(root.toString()).valid()) replaced.add(path + "[" + i + "]");
                    else array.set(i, value);
                } else {
                    replaceTexts(root, array.get(i), path + "[" + i + "]", replaced);
                }
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
