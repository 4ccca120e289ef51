package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.cli.TaskJarTest;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task jar served (issue #27): a real `conlab serve --task-jar` process lists the task in its run form, queues it by id
 * through POST /api/queue, measures it in forked workers that have the jar, and stores the run.
 */
class TaskServeIT {

    @TempDir
    Path dir;

    @Test
    void a_served_task_jar_is_in_the_run_form_and_is_queued_by_id_run_and_stored() throws Exception {
        Path jar = TaskJarTest.taskJar(Files.createDirectories(dir.resolve("jar")), Map.of("Sleeper", TaskJarTest.SLEEPER));
        Path data = Files.createDirectories(dir.resolve("data"));
        String token;
        try (Database db = Database.open(Database.h2Url(data), "sa", "")) {
            token = new TokenStore(db).create("tasks", Set.of(Scope.QUEUE));
        }
        var database = new ServerDatabase("H2", data, Database.h2Url(data), "sa", "");
        try (ServerProcess server = ServerProcess.start(data, database, List.of("--task-jar", jar.toString()))) {
            assertThat(server.output()).contains("Tasks of yours: sleeper");
            String overview = server.send("GET", "/", null, null).body();
            assertThat(overview).contains("value=\"sleeper\"");
            int jdk = Runtime.version().feature();
            JsonNode answer = server.json("POST", "/api/queue", token, "{\"suite\": \"smoke\", \"workloads\": [\"sleeper\"], "
                    + "\"models\": [\"sequential\", \"virtual-threads\"], \"jdks\": [\"" + jdk + "\"]}", 201);
            long id = answer.get("runs").get(0).get("id").asLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            JsonNode run = server.get("/api/runs/" + id);
            while (List.of("queued", "running").contains(run.get("run").get("status").asText()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                run = server.get("/api/runs/" + id);
            }
            assertThat(run.get("run").get("status").asText()).as(run.toString()).isEqualTo("done");
            JsonNode doc = server.get("/api/runs/" + id + "/document");
            assertThat(doc.get("results")).hasSize(2);
            assertThat(doc.get("tasks").get(0).get("entry").asText()).as("the document carries the task").isEqualTo("mine.Sleeper");
            JsonNode export = server.get("/api/runs/" + id + "/export?format=json");
            assertThat(export.get("answers").get(0).get("workKind").asText()).isEqualTo("waiting");
            doc.get("results").forEach(c -> {
                assertThat(c.get("workload").asText()).isEqualTo("sleeper");
                assertThat(c.get("status").asText()).as(c.toString()).isEqualTo("ok");
            });
        }
    }
}
