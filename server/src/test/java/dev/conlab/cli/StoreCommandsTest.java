package dev.conlab.cli;

import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.conlab.cli.RunCommandTest.conlab;
import static org.assertj.core.api.Assertions.assertThat;

/** token and import against a real H2 file database in a temporary data directory. */
class StoreCommandsTest {

    @TempDir
    static Path dir;
    static Path document;

    @BeforeAll
    static void measureADocument() {
        document = dir.resolve("run.json");
        var r = conlab("run", "--suite", "smoke", "--workloads", "sleep-io", "--models", "sequential,threads",
                "--iterations", "2", "--warmups", "0", "--no-progress", "--out", document.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    private static String dataDir(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void import_stores_a_document_once_and_reports_a_repeat() throws Exception {
        String data = dataDir("import-once");
        var first = conlab("import", "--data-dir", data, document.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("imported as run 1").contains("2 cells");
        var again = conlab("import", "--data-dir", data, document.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("already stored as run 1");
        assertThat(Path.of(data, "conlab.mv.db")).exists();
        RunDocument doc = Json.MAPPER.readValue(Files.readString(document), RunDocument.class);
        assertThat(doc.results()).hasSize(2);
    }

    @Test
    void an_invalid_document_is_refused_with_each_problem_and_its_path_and_nothing_is_stored() throws Exception {
        String data = dataDir("import-bad");
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(Files.readString(document));
        json.put("suite", "huge");
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("results").get(0).get("samples").get(0)).put("wallNanos", -1);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, json.toString());
        var r = conlab("import", "--data-dir", data, bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("$.suite").contains("$.results[0].samples[0].wallNanos").doesNotContain("\tat ");

        Files.writeString(bad, "{\"schema\": \"conlab.run/9\"}");
        assertThat(conlab("import", "--data-dir", data, bad.toString()).err()).contains("unknown schema version 'conlab.run/9'");
        Files.writeString(bad, "{\"schema\": ");
        assertThat(conlab("import", "--data-dir", data, bad.toString()).err()).contains("not valid JSON");

        var good = conlab("import", "--data-dir", data, document.toString());
        assertThat(good.out()).as("the refused documents left nothing behind").contains("imported as run 1");
    }

    @Test
    void a_token_is_printed_once_listed_without_its_secret_and_revoked() {
        String data = dataDir("tokens");
        var created = conlab("token", "create", "--data-dir", data, "--name", "ci-runner", "--scopes", "upload,admin");
        assertThat(created.code()).as(created.err()).isZero();
        String secret = created.out().strip();
        assertThat(secret).startsWith("clb_");
        var list = conlab("token", "list", "--data-dir", data);
        assertThat(list.out()).contains("ci-runner").contains("upload,admin").doesNotContain(secret);
        assertThat(conlab("token", "create", "--data-dir", data, "--name", "x", "--scopes", "root").err())
                .contains("valid scopes: upload, queue, admin");
        assertThat(conlab("token", "revoke", "--data-dir", data, "ci-runner").code()).isZero();
        var again = conlab("token", "revoke", "--data-dir", data, "ci-runner");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("no live token named 'ci-runner'");
    }

    @Test
    void doctor_prints_each_finding_with_what_to_do_and_saves_the_check_for_the_machines_page() throws Exception {
        String data = dataDir("doctor");
        var r = conlab("doctor", "--seconds", "0.5", "--save", "--data-dir", data);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Capacity").contains("of 2 CPUs".replace("2", String.valueOf(Runtime.getRuntime().availableProcessors())))
                .contains("Saved: the page of machine 1 (/machines/1)");
        try (var db = dev.conlab.db.Database.open(dev.conlab.db.Database.h2Url(Path.of(data)), "sa", "")) {
            var check = new dev.conlab.db.MachineStore(db).lastCheckOf(1).orElseThrow();
            assertThat(check.capacity().probes()).isPositive();
            assertThat(check.items()).extracting(dev.conlab.bench.MachineCheck.Item::name).contains("Load now", "Capacity");
        }
        var json = conlab("doctor", "--seconds", "0", "--json");
        assertThat(json.code()).isZero();
        assertThat(Json.MAPPER.readTree(json.out()).get("items").size()).isGreaterThanOrEqualTo(6);
        var bad = conlab("doctor", "--seconds", "900");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--seconds must be 0 to 600");
    }
}
