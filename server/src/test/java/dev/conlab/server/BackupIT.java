package dev.conlab.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.conlab.db.jooq.Tables.RUN;
import static dev.conlab.db.jooq.Tables.RUN_DOCUMENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code conlab backup} while a real server process takes uploads from 8 clients: the backup (another process, through H2's
 * AUTO_SERVER port) restores with {@code conlab import} into a new H2 file that opens, passes its migrations' checks and holds
 * every run acknowledged before the backup began, each document exactly as sent.
 */
class BackupIT {

    @TempDir
    Path root;

    @Test
    void a_backup_taken_while_8_clients_upload_restores_every_run_acknowledged_before_it_began() throws Exception {
        ServerDatabase database = new ServerDatabase("H2", root.resolve("lab"), Database.h2Url(root.resolve("lab")), "sa", "").reset();
        String token;
        try (Database db = database.open()) {
            token = new TokenStore(db).create("backup-test", Set.of(Scope.UPLOAD));
        }
        ObjectNode template = (ObjectNode) Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(dev.conlab.bench.TestDocuments.small()));
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // document id → text
        Map<String, String> before;
        Path backup = root.resolve("lab.conlab.gz");
        try (ServerProcess server = ServerProcess.start(database.dataDir(), database)) {
            var stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread client = new Thread(() -> {
                    while (!stop.get()) {
                        ObjectNode doc = template.deepCopy();
                        doc.put("id", UUID.randomUUID().toString());
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/runs"))
                                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(doc.toString())).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) acknowledged.put(doc.get("id").asText(), doc.toString());
                        } catch (java.io.IOException | InterruptedException e) {
                            return;
                        }
                    }
                });
                client.start();
                clients.add(client);
            }
            while (acknowledged.size() < 20) Thread.sleep(50);
            before = new HashMap<>(acknowledged);
            int during = acknowledged.size();
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    System.getProperty("conlab.jar"), "backup", "--no-progress", "--data-dir", database.dataDir().toString(), backup.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            System.out.printf("BackupIT: %d uploads acknowledged when the backup began, %d when it ended: %s", during, acknowledged.size(), output);
            assertThat(acknowledged.size()).as("uploads went on during the backup").isGreaterThan(during);
            stop.set(true);
            for (Thread t : clients) t.join(10_000);
        }

        Path restored = root.resolve("restored");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("conlab.jar"), "import", "--no-progress", "--data-dir", restored.toString(), backup.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        // opens, its migrations validated (Flyway checks every applied one against the jar's), and holds what it must
        try (Database db = Database.open(Database.h2Url(restored), "sa", "")) {
            Map<String, String> stored = new HashMap<>();
            for (var r : db.dsl().select(RUN.DOCUMENT_ID, RUN_DOCUMENT.DOCUMENT_JSON).from(RUN).join(RUN_DOCUMENT).on(RUN_DOCUMENT.RUN_ID.eq(RUN.ID)).fetch()) {
                stored.put(r.value1(), r.value2());
            }
            for (var e : before.entrySet()) {
                assertThat(stored.get(e.getKey())).as("run %s, acknowledged before the backup began", e.getKey()).isEqualTo(e.getValue());
            }
        }
    }
}
