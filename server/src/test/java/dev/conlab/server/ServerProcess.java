package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real `conlab serve` process (the packaged conlab.jar) on a random port, for the integration tests;
 * {@code output} is what it printed up to the line with its URL.
 */
public record ServerProcess(Process process, String url, String output) implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+?)/? ");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A server on {@code dataDir}'s H2 database, without sample data. */
    public static ServerProcess start(Path dataDir) throws Exception {
        return start(dataDir, List.of());
    }

    /** A server on {@code dataDir} that loads the repository's sample-data/ into its empty database, as `./conlab serve` does. */
    public static ServerProcess startWithSampleData(Path dataDir) throws Exception {
        return start(dataDir, List.of(), List.of("--sample-data", Path.of("..", "sample-data").toAbsolutePath().normalize().toString()));
    }

    /** The same with a jar of tasks of yours (`--task-jar`): the tests' tasks that hang or fail, as a user's would. */
    public static ServerProcess startWithTaskJar(Path dataDir, Path jar) throws Exception {
        return start(dataDir, List.of(), List.of("--no-sample-data", "--task-jar", jar.toString()));
    }

    private static ServerProcess start(Path dataDir, List<String> jvmArgs) throws Exception {
        return start(dataDir, jvmArgs, List.of("--no-sample-data"));
    }

    /** A server without sample data on the database {@code database} names (H2 in {@code dataDir}, or {@code --db …}). */
    public static ServerProcess start(Path dataDir, ServerDatabase database) throws Exception {
        var options = new ArrayList<String>(List.of("--no-sample-data"));
        options.addAll(database.options());
        return start(dataDir, List.of(), options);
    }

    /** A server without sample data on the database, with options of its own (a machine name, a lease, a fixed --port). */
    public static ServerProcess start(Path dataDir, ServerDatabase database, List<String> options) throws Exception {
        var all = new ArrayList<String>(List.of("--no-sample-data"));
        all.addAll(database.options());
        all.addAll(options);
        return start(dataDir, List.of(), all);
    }

    /** The port it listens on. */
    public int port() {
        return URI.create(url).getPort();
    }

    private static ServerProcess start(Path dataDir, List<String> jvmArgs, List<String> options) throws Exception {
        if (!options.contains("--db")) ServerDatabase.migratedH2(dataDir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<String>();
        command.add(java);
        command.addAll(jvmArgs);
        // -Dconlab.test.serverJvmArgs="-XX:StartFlightRecording=…": a profile of the server a perf test drives
        String extra = System.getProperty("conlab.test.serverJvmArgs", "").strip();
        if (!extra.isEmpty()) command.addAll(List.of(extra.split("\\s+")));
        TestJvms.Launch launch = TestJvms.options("server");
        command.addAll(launch.options());
        command.addAll(List.of("-jar", System.getProperty("conlab.jar")));
        command.addAll(List.of("serve", "--data-dir", dataDir.toString()));
        if (!options.contains("--port")) command.addAll(List.of("--port", "0"));
        command.addAll(options);
        return await(launch.started(new ProcessBuilder(command).redirectErrorStream(true).start()), Duration.ofSeconds(60));
    }

    /**
     * Waits for a started `conlab serve` (any launcher: the jar, ./conlab, the image's command; its stderr merged
     * into stdout) to print the URL it listens on; the rest of its output is drained. Kills it if it never does.
     */
    public static ServerProcess await(Process p, Duration timeout) throws Exception {
        var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeout.toNanos();
        String line;
        var seen = new StringBuilder();
        while (System.nanoTime() < deadline && (line = in.readLine()) != null) {
            seen.append(line).append('\n');
            var m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> in.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return new ServerProcess(p, m.group(1), seen.toString());
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the server did not start:\n" + seen);
    }

    public HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(url + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode json(String method, String path, String token, String body, int expectedStatus) throws Exception {
        HttpResponse<String> r = send(method, path, token, body);
        if (r.statusCode() != expectedStatus) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ", not " + expectedStatus + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    public JsonNode get(String path) throws Exception {
        return json("GET", path, null, null, 200);
    }

    /** SIGKILL: nothing runs on the way out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the shutdown hooks run. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
