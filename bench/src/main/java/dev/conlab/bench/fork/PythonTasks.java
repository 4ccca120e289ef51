package dev.conlab.bench.fork;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.Json;
import dev.conlab.bench.PythonCatalog;
import dev.conlab.bench.TaskInfo;
import dev.conlab.bench.TaskWorkload;
import dev.conlab.bench.Vocabulary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Python tasks of yours ({@code conlab run --python-task MODULE:FUNCTION --python-path DIR}): described at start by the worker
 * itself ({@code worker.py --describe-tasks}, which imports the module but runs nothing of it), registered as Python workloads
 * of this process, and handed to every Python worker it starts in {@value #ENV}. The naming rule for the optional setup,
 * check and async variant is the worker's {@code conlab_worker/usertasks.py} (docs/TASKS.md).
 */
public final class PythonTasks {

    /** The environment variable the Python workers read the tasks from: JSON, [{"entry": "module:function", "path": [dirs]}]. */
    public static final String ENV = "CONLAB_PYTHON_TASKS";

    /** Where Python tasks appear in lists: after every built-in workload, as the Java ones. */
    static final int ORDER = 5000;

    private static final long DESCRIBE_SECONDS = 60;

    private static volatile String installed;

    private PythonTasks() {
    }

    /** The tasks' JSON for the workers' environment, or null when none was installed. */
    public static String environment() {
        return installed;
    }

    /**
     * Describes the tasks with {@code python} (a path or a name on the PATH), registers them in this process in place of
     * any an earlier command of this process registered, and returns their ids.
     *
     * @throws InvalidSpecException a task that is not MODULE:FUNCTION, a module that does not import, a function that is
     *                              missing, a bad FUNCTION_params or FUNCTION_kind — one sentence from the worker
     */
    public static List<String> install(List<String> entries, List<Path> paths, String python) {
        if (entries.isEmpty()) {
            if (!paths.isEmpty()) throw new InvalidSpecException("--python-path is given, but no --python-task names a MODULE:FUNCTION in it");
            // none for this command: forget those an earlier command of this process registered
            PythonCatalog.register(List.of());
            TaskInfo.register(TaskInfo.PYTHON, List.of());
            installed = null;
            return List.of();
        }
        var dirs = new ArrayList<String>();
        for (Path p : paths) {
            Path dir = p.toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) throw new InvalidSpecException("--python-path " + dir + " is not a directory");
            dirs.add(dir.toString());
        }
        var spec = Json.MAPPER.createArrayNode();
        for (String entry : entries) {
            var t = spec.addObject();
            t.put("entry", entry.strip());
            var path = t.putArray("path");
            dirs.forEach(path::add);
        }
        String json = spec.toString();
        JsonNode described = describe(python, json);
        var ids = new ArrayList<String>();
        var entriesOut = new ArrayList<Vocabulary.Entry>();
        var infos = new ArrayList<TaskInfo>();
        for (JsonNode t : described) {
            String id = t.get("id").asText();
            if (PythonCatalog.builtIn(id) || TaskInfo.find(id).filter(i -> i.language().equals(TaskInfo.JAVA)).isPresent()) {
                throw new InvalidSpecException("the Python task " + t.get("entry").asText() + " has the id '" + id
                        + "', which another workload has: give it another with " + t.get("entry").asText().replaceAll(".*:", "") + "_id = \"…\"");
            }
            Map<String, Long> params = new LinkedHashMap<>();
            t.get("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asLong()));
            String kind = t.hasNonNull("kind") ? t.get("kind").asText() : null;
            entriesOut.add(new Vocabulary.Entry(id, t.get("summary").asText(), TaskWorkload.params(params), dev.conlab.bench.Model.UNKNOWN_COLOUR,
                    ORDER, "cpu".equals(kind), true, null));
            Path file = Path.of(t.get("file").asText());
            infos.add(new TaskInfo(id, t.get("summary").asText(), TaskInfo.PYTHON, t.get("entry").asText(),
                    file.getFileName().toString(), TaskInfo.sha256(file), kind, Map.copyOf(params)));
            ids.add(id);
        }
        PythonCatalog.register(entriesOut);
        TaskInfo.register(TaskInfo.PYTHON, infos);
        installed = json;
        return ids;
    }

    private static JsonNode describe(String python, String json) {
        try {
            var builder = new ProcessBuilder(python, PythonWorker.script().toString(), "--describe-tasks");
            builder.environment().put(ENV, json);
            Process p = builder.start();
            p.getOutputStream().close();
            var err = new java.util.concurrent.CompletableFuture<byte[]>();
            var reader = new Thread(() -> {
                try {
                    err.complete(p.getErrorStream().readAllBytes());
                } catch (IOException e) {
                    err.complete(new byte[0]);
                }
            }, "conlab-python-tasks-stderr");
            reader.setDaemon(true);
            reader.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(DESCRIBE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new InvalidSpecException("reading the Python tasks with " + python + " took over " + DESCRIBE_SECONDS
                        + " s: does importing the module start work it does not finish?");
            }
            String said = new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            if (p.exitValue() == 2) throw new InvalidSpecException("--python-task: " + said.lines().reduce((a, b) -> b).orElse(said));
            if (p.exitValue() != 0) {
                throw new InvalidSpecException("cannot read the Python tasks with " + python + " (exit " + p.exitValue() + "): "
                        + said.lines().reduce((a, b) -> b).orElse("no message"));
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            return Json.MAPPER.readTree(text.substring(text.lastIndexOf('\n') + 1));
        } catch (IOException e) {
            throw new InvalidSpecException("cannot start " + python + " to read the Python tasks: " + e.getMessage()
                    + " (give the interpreter with --python)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidSpecException("interrupted while reading the Python tasks");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new InvalidSpecException("cannot read what " + python + " said about the Python tasks");
        }
    }
}
