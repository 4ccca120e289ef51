package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.WorkAnswers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of "Measure your own code" (issue #27), as a user runs them: {@code examples/build.sh} builds the Java tasks
 * against `conlab api-jar`, and the launcher measures them — a real blocking HTTP call that waits, Jackson parsing that
 * computes — and the Python task's urllib call, on /usr/bin/python3, in real forked workers.
 */
@Isolated("a task's kind is learnt from its CPU ÷ wall time, which a test beside it would lower")
class ExamplesIT {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Result(int code, String output) {
    }

    static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(false).start();
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        new Thread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                err.complete("");
            }
        }).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out + err.get(10, TimeUnit.SECONDS));
    }

    @Test
    void the_java_examples_build_with_the_script_and_their_kinds_are_learnt() throws Exception {
        Result built = run("examples/build.sh");
        assertThat(built.code()).as(built.output()).isZero();
        String jar = built.output().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(jar).endsWith("examples/target/conlab-examples.jar");
        Path out = dir.resolve("examples.json");
        Result r = run("./conlab", "run", "--task-jar", jar, "--jdk", String.valueOf(Runtime.version().feature()), "--suite", "smoke",
                "--models", "sequential,fixed-pool,virtual-threads", "--no-progress", "--no-machine-probe", "--out", out.toString());
        assertThat(r.code()).as(r.output()).isZero();
        RunDocument doc = Json.MAPPER.readValue(out.toFile(), RunDocument.class);
        assertThat(doc.results()).allSatisfy(c -> assertThat(c.status().id()).as(c.workload() + " × " + c.model() + ": " + c.error())
                .isEqualTo("ok"));
        var answers = new HashMap<String, WorkAnswers>();
        WorkAnswers.of(doc).forEach(a -> answers.put(a.workload(), a));
        assertThat(answers.get("order-lookup").workKind()).as(answers.get("order-lookup").sentence()).isEqualTo("waiting");
        assertThat(answers.get("order-lookup").recommended()).contains("virtual-threads");
        assertThat(answers.get("parse-orders").workKind()).as(answers.get("parse-orders").sentence()).isEqualTo("cpu");
        assertThat(doc.tasks()).extracting(t -> t.entry()).containsExactlyInAnyOrder("example.OrderLookup", "example.ParseOrders");
    }

    @Test
    void the_python_example_calls_a_local_server_with_urllib_and_waits() throws Exception {
        Path out = dir.resolve("shop.json");
        Result r = run("./conlab", "run", "--python-task", "shop:fetch", "--python-path", "examples/python", "--python", "/usr/bin/python3",
                "--suite", "smoke", "--models", "serial,threading,asyncio", "--no-progress", "--no-machine-probe", "--out", out.toString());
        assertThat(r.code()).as(r.output()).isZero();
        JsonNode doc = Json.MAPPER.readTree(out.toFile());
        doc.get("results").forEach(c -> assertThat(c.get("status").asText()).as(c.toString()).isEqualTo("ok"));
        RunDocument parsed = Json.MAPPER.treeToValue(doc, RunDocument.class);
        WorkAnswers fetch = WorkAnswers.of(parsed).get(0);
        assertThat(fetch.workKind()).as(fetch.sentence()).isEqualTo("waiting");
        assertThat(fetch.recommended()).doesNotContain("serial");
        assertThat(r.output()).contains(fetch.sentence());
        assertThat(List.of(parsed.task("fetch").file(), parsed.task("fetch").entry())).containsExactly("shop.py", "shop:fetch");
    }
}
