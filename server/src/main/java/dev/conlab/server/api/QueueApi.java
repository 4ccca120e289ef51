package dev.conlab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.server.ApiException;
import dev.conlab.server.App;
import dev.conlab.server.Services;
import dev.conlab.server.queue.QueueService;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** /api/jdks and /api/queue: the JDKs of this host, queueing runs, their progress, cancel and retry. */
public final class QueueApi {

    private static final Set<String> FIELDS = Set.of("suite", "workloads", "models", "jdks", "warmups", "iterations", "forks",
            "cellTimeoutSeconds", "runTimeoutSeconds", "params");

    private final Services services;
    private final QueueService queue;

    public QueueApi(Services services, QueueService queue) {
        this.services = services;
        this.queue = queue;
    }

    public void jdks(Context ctx) {
        var list = new ArrayList<Map<String, Object>>();
        var newest = queue.jdks().newestPerFeature();
        for (Jdk jdk : queue.jdks().all()) {
            var map = new LinkedHashMap<String, Object>();
            map.put("feature", jdk.feature());
            map.put("version", jdk.version());
            map.put("vendor", jdk.vendor());
            map.put("home", jdk.home().toString());
            map.put("source", jdk.source());
            map.put("default", newest.contains(jdk));
            list.add(map);
        }
        ctx.json(Map.of("jdks", list));
    }

    public void list(Context ctx) {
        ctx.json(Map.of("runs", queue.queue()));
    }

    public void enqueue(Context ctx) {
        Handlers.requireScope(ctx, services, "queue");
        QueueService.Request request = parse(ctx.body());
        List<Long> ids;
        try {
            ids = queue.enqueue(request);
        } catch (InvalidSpecException e) {
            throw new ApiException(400, e.getMessage());
        }
        var runs = new ArrayList<Map<String, Object>>();
        for (long id : ids) runs.add(queue.status(id).orElseThrow());
        ctx.status(201).json(Map.of("runs", runs));
    }

    public void cancel(Context ctx) throws InterruptedException {
        Handlers.requireScope(ctx, services, "queue");
        long id = Handlers.id(ctx);
        try {
            queue.cancel(id);
        } catch (QueueService.NoSuchRunException e) {
            throw new ApiException(404, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
        }
        ctx.json(queue.status(id).orElseThrow());
    }

    public void retry(Context ctx) {
        Handlers.requireScope(ctx, services, "queue");
        long id = Handlers.id(ctx);
        long retry;
        try {
            retry = queue.retry(id);
        } catch (QueueService.NoSuchRunException e) {
            throw new ApiException(404, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
        }
        ctx.status(201).header("Location", "/api/runs/" + retry).json(queue.status(retry).orElseThrow());
    }

    /** The request body, checked field by field: a wrong field is named with what it should be. */
    static QueueService.Request parse(String body) {
        JsonNode node;
        try {
            node = App.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new ApiException(400, "the body is not valid JSON; send an object such as "
                    + "{\"suite\": \"smoke\", \"workloads\": [\"sleep-io\"], \"jdks\": [\"25\"]}");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "the body must be a JSON object such as {\"suite\": \"smoke\", \"jdks\": [\"25\"]}");
        }
        var problems = new ArrayList<DocumentValidator.Problem>();
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) problems.add(problem("$." + name, "unknown field; known fields: " + String.join(", ", FIELDS.stream().sorted().toList())));
        });
        String suite = text(node, "suite", problems);
        List<String> workloads = texts(node, "workloads", problems);
        List<String> models = texts(node, "models", problems);
        List<String> jdks = jdkSelectors(node, problems);
        Integer warmups = integer(node, "warmups", problems);
        Integer iterations = integer(node, "iterations", problems);
        Integer forks = integer(node, "forks", problems);
        Integer cellTimeout = integer(node, "cellTimeoutSeconds", problems);
        Integer runTimeout = integer(node, "runTimeoutSeconds", problems);
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode p = node.get("params");
        if (p != null && !p.isNull()) {
            if (!p.isObject()) {
                problems.add(problem("$.params", "must be an object of \"owner.name\": value, e.g. {\"sleep-io.tasks\": 100}"));
            } else {
                p.fields().forEachRemaining(e -> {
                    if (e.getValue().isValueNode() && !e.getValue().isNull()) params.put(e.getKey(), e.getValue().asText());
                    else problems.add(problem("$.params." + e.getKey(), "must be a number or a string"));
                });
            }
        }
        if (!problems.isEmpty()) throw new ApiException(400, "the queue request has " + problems.size() + " problem(s)", problems);
        return new QueueService.Request(suite, workloads, models, jdks, warmups, iterations, forks, cellTimeout, runTimeout, params);
    }

    private static List<String> jdkSelectors(JsonNode node, List<DocumentValidator.Problem> problems) {
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

    private static String text(JsonNode node, String field, List<DocumentValidator.Problem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) problems.add(problem("$." + field, "must be a string"));
        return value.asText();
    }

    private static List<String> texts(JsonNode node, String field, List<DocumentValidator.Problem> problems) {
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

    private static Integer integer(JsonNode node, String field, List<DocumentValidator.Problem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            problems.add(problem("$." + field, "must be a whole number"));
            return null;
        }
        return value.intValue();
    }

    private static DocumentValidator.Problem problem(String path, String message) {
        return new DocumentValidator.Problem(path, message);
    }
}
