package dev.conlab.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.RunRequest;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.Mappers;
import dev.conlab.server.core.Problem;
import dev.conlab.server.http.Requests;
import dev.conlab.server.queue.QueueEntry;
import dev.conlab.server.queue.RunQueue;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** /api/jdks and /api/queue: the JDKs of this host, queueing runs, their progress, cancel and retry. */
public final class QueueApi {

    private static final Set<String> FIELDS = Set.of("suite", "workloads", "models", "jdks", "pythons", "warmups", "iterations", "forks",
            "forkMode", "shuffle", "cellTimeoutSeconds", "runTimeoutSeconds", "params", "machines", "targetCiPct", "maxForks", "interleave");

    private final RunQueue queue;

    public QueueApi(RunQueue queue) {
        this.queue = queue;
    }

    record JdkAnswer(int feature, String version, String vendor, String home, String source, @JsonProperty("default") boolean isDefault) {
    }

    record Jdks(List<JdkAnswer> jdks) {
    }

    record Runs(List<QueueEntry> runs) {
    }

    record PythonAnswer(String name, String path, String implementation, String version, boolean gil, boolean freeThreadedBuild,
                        java.util.Map<String, Boolean> modules, String source, String origin, String label) {
    }

    record Runtimes(List<JdkAnswer> jdks, List<PythonAnswer> pythons) {
    }

    /** GET /api/runtimes: the JDKs and the Python interpreters a queued run can be measured on. */
    public void runtimes(Context ctx) {
        var pythons = new ArrayList<PythonAnswer>();
        for (var p : dev.conlab.bench.fork.Pythons.known().all()) { // what is known: never waits for a probe
            pythons.add(new PythonAnswer(p.executable().getFileName().toString(), p.executable().toString(), p.info().implementation(),
                    p.info().version(), p.info().gil(), p.info().freeThreadedBuild(), p.info().modules(), p.source(), p.origin(),
                    p.choiceLabel()));
        }
        ctx.json(new Runtimes(jdkAnswers(), pythons));
    }

    public void jdks(Context ctx) {
        ctx.json(new Jdks(jdkAnswers()));
    }

    /** The JDKs of this host, {@code default} on the newest of each feature version. */
    private List<JdkAnswer> jdkAnswers() {
        var newest = queue.jdks().newestPerFeature();
        var list = new ArrayList<JdkAnswer>();
        for (Jdk jdk : queue.jdks().all()) {
            list.add(new JdkAnswer(jdk.feature(), jdk.version(), jdk.vendor(), jdk.home().toString(), jdk.source(), newest.contains(jdk)));
        }
        return list;
    }

    public void list(Context ctx) {
        ctx.json(new Runs(queue.active()));
    }

    public void enqueue(Context ctx) {
        RunRequest request = parse(ctx.body());
        ctx.status(201).json(new Runs(queue.enqueue(request, machines(ctx.body()))));
    }

    /** The request's {@code machines}: ids or names, or "all"; empty for this host. (The body parsed already, in {@link #parse}.) */
    static List<String> machines(String body) {
        JsonNode value;
        try {
            value = Mappers.JSON.readTree(body).get("machines");
        } catch (Exception e) {
            return List.of();
        }
        if (value == null || value.isNull()) return List.of();
        var list = new ArrayList<String>();
        value.forEach(v -> list.add(v.asText()));
        return list;
    }

    public void cancel(Context ctx) throws InterruptedException {
        ctx.json(queue.cancel(Requests.id(ctx)));
    }

    public void retry(Context ctx) {
        QueueEntry retry = queue.retry(Requests.id(ctx));
        ctx.status(201).header("Location", "/api/runs/" + retry.id()).json(retry);
    }

    /** The request body, checked field by field: a wrong field is named with what it should be. */
    static RunRequest parse(String body) {
        JsonNode node;
        try {
            node = Mappers.JSON.readTree(body);
        } catch (Exception e) {
            throw new LabException.Invalid("the body is not valid JSON; send an object such as "
                    + "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"], \"jdks\": [\"25\"]}");
        }
        if (node == null || !node.isObject()) {
            throw new LabException.Invalid("the body must be a JSON object such as {\"suite\": \"smoke\", \"jdks\": [\"25\"]}");
        }
        var problems = new ArrayList<Problem>();
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) problems.add(problem("$." + name, "unknown field; known fields: " + String.join(", ", FIELDS.stream().sorted().toList())));
        });
        String suite = text(node, "suite", problems);
        List<String> workloads = texts(node, "workloads", problems);
        List<String> models = texts(node, "models", problems);
        List<String> jdks = jdkSelectors(node, problems);
        List<String> pythons = texts(node, "pythons", problems);
        JsonNode machines = node.get("machines");
        if (machines != null && !machines.isNull()) {
            if (!machines.isArray() || machines.size() > 1000) {
                problems.add(problem("$.machines", "must be an array of machine ids or names, or [\"all\"] (GET /api/machines lists them)"));
            } else {
                for (int i = 0; i < machines.size(); i++) {
                    JsonNode m = machines.get(i);
                    if (!(m.isTextual() && !m.asText().isBlank() && m.asText().length() <= 200) && !(m.isIntegralNumber() && m.canConvertToLong())) {
                        problems.add(problem("$.machines[" + i + "]", "must be a machine's id or name, or \"all\""));
                    }
                }
            }
        }
        Integer warmups = integer(node, "warmups", problems);
        Integer iterations = integer(node, "iterations", problems);
        Integer forks = integer(node, "forks", problems);
        Integer cellTimeout = integer(node, "cellTimeoutSeconds", problems);
        Integer runTimeout = integer(node, "runTimeoutSeconds", problems);
        String forkMode = text(node, "forkMode", problems);
        Long shuffle = null;
        JsonNode seed = node.get("shuffle");
        if (seed != null && !seed.isNull()) {
            if (seed.isIntegralNumber() && seed.canConvertToLong()) shuffle = seed.longValue();
            else problems.add(problem("$.shuffle", "must be a whole number: the seed of the cells' random order"));
        }
        Integer maxForks = integer(node, "maxForks", problems);
        Double targetCi = null;
        JsonNode target = node.get("targetCiPct");
        if (target != null && !target.isNull()) {
            if (target.isNumber() && target.doubleValue() >= 0.1 && target.doubleValue() <= 100) targetCi = target.doubleValue();
            else problems.add(problem("$.targetCiPct", "must be a number from 0.1 to 100: the 95 % interval's half-width to reach, in % of the median"));
        }
        Boolean interleave = null;
        JsonNode rounds = node.get("interleave");
        if (rounds != null && !rounds.isNull()) {
            if (rounds.isBoolean()) interleave = rounds.booleanValue();
            else problems.add(problem("$.interleave", "must be true or false: measure every target's forks in rounds, in one sitting "
                    + "(the default suite does unless told false)"));
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode p = node.get("params");
        if (p != null && !p.isNull()) {
            if (!p.isObject()) {
                problems.add(problem("$.params", "must be an object of \"owner.name\": value, e.g. {\"sleep-io.tasks\": 100}"));
            } else {
                p.fields().forEachRemaining(e -> {
                    JsonNode v = e.getValue();
                    if (v.isValueNode() && !v.isNull()) {
                        params.put(e.getKey(), v.asText());
                    } else if (v.isArray() && v.size() > 0 && v.size() <= 1000 && java.util.stream.StreamSupport.stream(v.spliterator(), false)
                            .allMatch(JsonNode::isIntegralNumber)) {
                        // a sweep as a list of numbers: the same as "10,100,1000"
                        params.put(e.getKey(), String.join(",", java.util.stream.StreamSupport.stream(v.spliterator(), false)
                                .map(JsonNode::asText).toList()));
                    } else {
                        problems.add(problem("$.params." + e.getKey(), "must be a number, a string, or a list of whole numbers to sweep "
                                + "(e.g. [10, 100, 1000] or \"1..64x2\")"));
                    }
                });
            }
        }
        if (!problems.isEmpty()) throw new LabException.Invalid("the queue request has " + problems.size() + " problem(s)", problems);
        return new RunRequest(suite, workloads, models, params, warmups, iterations, forks, cellTimeout, jdks, runTimeout, forkMode,
                shuffle, pythons).withPrecision(targetCi, maxForks, interleave);
    }

    private static List<String> jdkSelectors(JsonNode node, List<Problem> problems) {
        JsonNode value = node.get("jdks");
        if (value == null || value.isNull()) return List.of();
        if (!value.isArray()) {
            problems.add(problem("$.jdks", "must be an array such as [\"17\", \"25\"] or [\"all\"]"));
            return List.of();
        }
        var list = new ArrayList<String>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isInt() || item.isTextual()) list.add(item.asText());
            else problems.add(problem("$.jdks[" + i + "]", "must be a feature version such as 25, \"all\" or a JDK's folder"));
        }
        return list;
    }

    private static String text(JsonNode node, String field, List<Problem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) problems.add(problem("$." + field, "must be a string"));
        return value.asText();
    }

    private static List<String> texts(JsonNode node, String field, List<Problem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return List.of();
        if (!value.isArray()) {
            problems.add(problem("$." + field, "must be an array of ids, e.g. [\"sleep-io\"]; leave it out for all"));
            return List.of();
        }
        var list = new ArrayList<String>();
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i).isTextual()) list.add(value.get(i).asText());
            else problems.add(problem("$." + field + "[" + i + "]", "must be a string id"));
        }
        return list;
    }

    private static Integer integer(JsonNode node, String field, List<Problem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            problems.add(problem("$." + field, "must be a whole number"));
            return null;
        }
        return value.intValue();
    }

    private static Problem problem(String path, String message) {
        return new Problem(path, message);
    }
}
