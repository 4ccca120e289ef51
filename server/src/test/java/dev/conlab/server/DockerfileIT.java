package dev.conlab.server;

import dev.conlab.bench.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs here, so the image cannot be built in a test; this checks what can be checked: every
 * path the Dockerfile copies exists (sources in the context, not excluded by .dockerignore; build outputs after
 * {@code package}), the JDKs it copies are the ones CONLAB_JDKS names, and the image's entry command with the
 * image's environment starts a server that answers the HEALTHCHECK, loads the sample data, warns about the
 * missing token, and lets {@code conlab token create} (as {@code docker exec} would run it) reach its database.
 */
class DockerfileIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    record Instruction(String stage, String keyword, String arguments) {
    }

    static List<Instruction> parse(Path dockerfile) throws Exception {
        var result = new ArrayList<Instruction>();
        String stage = null;
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            if (current.isEmpty() && (line.isBlank() || line.stripLeading().startsWith("#"))) continue;
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            current.setLength(0);
            String keyword = text.split("\\s+", 2)[0].toUpperCase();
            String arguments = text.length() > keyword.length() ? text.substring(keyword.length()).strip() : "";
            if (keyword.equals("FROM")) stage = arguments.contains(" AS ") ? arguments.substring(arguments.indexOf(" AS ") + 4).strip() : "final";
            result.add(new Instruction(stage, keyword, arguments));
        }
        return result;
    }

    @Test
    void every_path_the_dockerfile_copies_exists_and_the_jdks_it_copies_are_the_ones_it_offers() throws Exception {
        List<Instruction> dockerfile = parse(REPO.resolve("Dockerfile"));
        List<String> ignored = Files.readAllLines(REPO.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        var jdkCopies = new LinkedHashMap<String, String>();
        String buildWorkdir = null;
        int copies = 0;
        for (Instruction i : dockerfile) {
            if (i.keyword().equals("WORKDIR") && "build".equals(i.stage())) buildWorkdir = i.arguments();
            if (!i.keyword().equals("COPY")) continue;
            copies++;
            List<String> words = List.of(i.arguments().split("\\s+"));
            String from = words.get(0).startsWith("--from=") ? words.get(0).substring(7) : null;
            List<String> paths = words.subList(from == null ? 0 : 1, words.size());
            List<String> sources = paths.subList(0, paths.size() - 1);
            if (from == null) {
                for (String source : sources) {
                    assertThat(REPO.resolve(source)).as("COPY %s: in the build context", source).exists();
                    for (String pattern : ignored) {
                        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replaceAll("/$", ""));
                        assertThat(matcher.matches(Path.of(source.replaceAll("/$", "")))).as("%s is excluded by .dockerignore's %s", source, pattern).isFalse();
                    }
                }
            } else if (from.equals("build")) {
                assertThat(buildWorkdir).isNotNull();
                for (String source : sources) {
                    assertThat(source).startsWith(buildWorkdir + "/");
                    Path built = REPO.resolve(source.substring(buildWorkdir.length() + 1));
                    assertThat(built).as("COPY --from=build %s: made by ./mvnw package", source).exists();
                }
            } else {
                Matcher m = Pattern.compile("eclipse-temurin:(\\d+)-jdk").matcher(from);
                assertThat(m.matches()).as("a JDK comes from an official Eclipse Temurin image: %s", from).isTrue();
                assertThat(sources).containsExactly("/opt/java/openjdk");
                jdkCopies.put(m.group(1), paths.get(paths.size() - 1));
            }
        }
        assertThat(copies).isGreaterThan(8);

        // the runtime image: JDK 25 of its own, 17 and 21 copied beside it and offered through CONLAB_JDKS
        List<Instruction> runtime = dockerfile.stream().filter(i -> "final".equals(i.stage())).toList();
        assertThat(runtime.get(0).arguments()).isEqualTo("eclipse-temurin:25-jdk");
        assertThat(dockerfile.get(0).arguments()).isEqualTo("eclipse-temurin:25-jdk AS build");
        Map<String, String> env = env(runtime);
        assertThat(jdkCopies.keySet()).containsExactlyInAnyOrder("17", "21");
        assertThat(env.get("CONLAB_JDKS").split(":")).containsExactlyInAnyOrderElementsOf(jdkCopies.values());
        assertThat(single(runtime, "USER")).isNotIn("root", "0");
        assertThat(single(runtime, "VOLUME")).isEqualTo(env.get("CONLAB_DATA_DIR")).isEqualTo("/data");
        assertThat(single(runtime, "EXPOSE")).isEqualTo(env.get("CONLAB_PORT")).isEqualTo("7070");
        assertThat(env.get("CONLAB_BIND")).isEqualTo("0.0.0.0");
        // the Python runtime: the distribution's CPython with the modules the Python models use, offered through CONLAB_PYTHONS
        assertThat(runtime.stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::arguments))
                .anySatisfy(run -> assertThat(run).contains("python3 ", "python3-numpy", "python3-uvloop", "python3-gevent", "python3-pil", "pypy3"));
        assertThat(env.get("CONLAB_PYTHONS")).isEqualTo("/usr/bin/python3:/usr/bin/pypy3");
        assertThat(single(runtime, "HEALTHCHECK")).contains("/api/health");

        // every jar the manifest names is in lib/, which the image copies beside conlab.jar
        try (JarFile jar = new JarFile(REPO.resolve("server/target/conlab.jar").toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            for (String entry : classPath.split(" ")) {
                assertThat(REPO.resolve("server/target").resolve(entry)).as(entry).exists();
            }
        }
    }

    @Test
    void the_entry_command_with_the_images_environment_starts_a_healthy_server_that_says_how_to_make_a_token() throws Exception {
        List<Instruction> runtime = parse(REPO.resolve("Dockerfile")).stream().filter(i -> "final".equals(i.stage())).toList();
        Map<String, String> env = env(runtime);
        List<String> command = new ArrayList<>();
        command.addAll(jsonArray(single(runtime, "ENTRYPOINT")));
        command.addAll(jsonArray(single(runtime, "CMD")));
        assertThat(command).containsExactly("conlab", "serve");
        // /usr/local/bin/conlab in the image is docker/conlab; /opt/conlab is laid out like server/target
        assertThat(runtime.stream().filter(i -> i.keyword().equals("COPY")).map(Instruction::arguments))
                .contains("docker/conlab /usr/local/bin/conlab", "--from=build /src/server/target/conlab.jar /opt/conlab/conlab.jar",
                        "--from=build /src/server/target/lib/ /opt/conlab/lib/", "sample-data/ /opt/conlab/sample-data/");
        Path data = Files.createTempDirectory("conlab-docker-data");
        var local = new LinkedHashMap<>(env);
        local.put("CONLAB_HOME", REPO.resolve("server/target").toString());
        local.put("CONLAB_DATA_DIR", data.toString());
        local.put("CONLAB_SAMPLE_DATA", REPO.resolve("sample-data").toString());
        local.put("CONLAB_PORT", "0"); // 7070 may be taken here; the image's bind address (0.0.0.0) stays
        local.put("CONLAB_JDKS", "");
        local.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));

        command.set(0, REPO.resolve("docker/conlab").toString());
        var pb = new ProcessBuilder(command).directory(data.toFile()).redirectErrorStream(true);
        pb.environment().putAll(local);
        try (ServerProcess server = ServerProcess.await(pb.start(), Duration.ofSeconds(60))) {
            String port = String.valueOf(URI.create(server.url()).getPort());
            assertThat(server.output()).contains("Loaded " + SampleData.runs() + " sample runs").contains("WARNING: listening on 0.0.0.0")
                    .contains("conlab token create --name NAME --scopes upload,queue,admin");

            // the HEALTHCHECK's own URL, with the port it names
            Matcher health = Pattern.compile("\"(http://127\\.0\\.0\\.1:\\$\\{CONLAB_PORT}/api/health)\"").matcher(single(runtime, "HEALTHCHECK"));
            assertThat(health.find()).isTrue();
            String url = health.group(1).replace("${CONLAB_PORT}", port);
            var client = HttpClient.newHttpClient();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(answer.body()).get("runs").asInt()).isEqualTo(SampleData.runs());

            // docker exec CONTAINER conlab token create …: the same command and environment, beside the running server
            var exec = new ProcessBuilder(REPO.resolve("docker/conlab").toString(), "token", "create", "--name", "me", "--scopes", "queue")
                    .directory(data.toFile()).redirectErrorStream(true);
            exec.environment().putAll(local);
            Process token = exec.start();
            String created = new String(token.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(token.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(token.exitValue()).as(created).isZero();
            String secret = created.lines().filter(l -> l.startsWith("clb_")).findFirst().orElseThrow();
            HttpResponse<String> cancel = server.send("DELETE", "/api/queue/999", secret, null);
            assertThat(cancel.statusCode()).as("the server knows the new token: %s", cancel.body()).isEqualTo(404);
        }
    }

    private static Map<String, String> env(List<Instruction> stage) {
        var env = new LinkedHashMap<String, String>();
        for (Instruction i : stage) {
            if (!i.keyword().equals("ENV")) continue;
            for (String pair : i.arguments().split("\\s+")) {
                int eq = pair.indexOf('=');
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return env;
    }

    private static String single(List<Instruction> stage, String keyword) {
        List<String> found = stage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        assertThat(found).as(keyword).hasSize(1);
        return found.get(0);
    }

    private static List<String> jsonArray(String text) throws Exception {
        var list = new ArrayList<String>();
        Json.MAPPER.readTree(text).forEach(n -> list.add(n.asText()));
        return list;
    }
}
