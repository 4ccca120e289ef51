package dev.conlab.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python runtime's models and workloads, read from the worker's own {@code catalog.json} (one source for the lab
 * and the worker): ids, summaries, colours, parameters with their sizes per suite and what a sweep of them varies.
 */
public final class PythonCatalog {

    /** Where the worker and its catalog live on the class path. */
    public static final String RESOURCES = "/dev/conlab/bench/python/";

    private static volatile Vocabulary vocabulary;
    private static volatile java.util.Set<String> ownProcess;
    private static volatile Map<String, String> impossible;

    private PythonCatalog() {
    }

    public static Vocabulary vocabulary() {
        Vocabulary v = vocabulary;
        if (v == null) {
            v = withTasks(load());
            vocabulary = v;
        }
        return v;
    }

    /** Python tasks of yours registered at start ({@code --python-task}), after the worker's own workloads. */
    private static volatile List<Vocabulary.Entry> tasks = List.of();

    /** Sets the Python tasks (described by the worker at start) that follow the runtime's own workloads. */
    public static synchronized void register(List<Vocabulary.Entry> entries) {
        tasks = List.copyOf(entries);
        vocabulary = null;
    }

    /** Whether the id is one of the worker's own workloads (not a task of yours). */
    public static boolean builtIn(String id) {
        return vocabulary().findWorkload(id).isPresent() && tasks.stream().noneMatch(t -> t.id().equals(id));
    }

    private static Vocabulary withTasks(Vocabulary base) {
        if (tasks.isEmpty()) return base;
        var workloads = new ArrayList<>(base.workloads());
        workloads.addAll(tasks);
        return new Vocabulary(base.runtime(), base.models(), List.copyOf(workloads), base.baseline());
    }

    /** The models whose cells need a worker process of their own (gevent: its monkey-patching changes the whole process). */
    public static java.util.Set<String> ownProcessModels() {
        vocabulary();
        return ownProcess;
    }

    /** The pairs that cannot exist by construction ("workload/model"), each with the reason the worker gives. */
    public static Map<String, String> impossiblePairs() {
        vocabulary();
        return impossible;
    }

    /** The longest error text a cell keeps: the same cap for the JVM's cells and the worker's. */
    public static int errorCap() {
        vocabulary();
        return errorCap;
    }

    private static volatile int errorCap;

    private static Vocabulary load() {
        try (InputStream in = PythonCatalog.class.getResourceAsStream(RESOURCES + "catalog.json")) {
            if (in == null) throw new IllegalStateException(RESOURCES + "catalog.json is missing from the class path");
            JsonNode root = Json.MAPPER.readTree(in);
            var models = new ArrayList<Vocabulary.Entry>();
            var own = new java.util.TreeSet<String>();
            for (JsonNode m : root.get("models")) if (m.path("ownProcess").asBoolean(false)) own.add(m.get("id").asText());
            ownProcess = java.util.Collections.unmodifiableSet(own);
            var pairs = new LinkedHashMap<String, String>();
            for (JsonNode p : root.path("impossible")) pairs.put(p.get("workload").asText() + "/" + p.get("model").asText(), p.get("reason").asText());
            impossible = java.util.Collections.unmodifiableMap(pairs);
            errorCap = root.get("errorCap").asInt();
            for (JsonNode m : root.get("models")) {
                models.add(new Vocabulary.Entry(m.get("id").asText(), m.get("summary").asText(), params(m.get("params")),
                        m.get("colour").asText(), m.get("order").asInt(), false, false, null));
            }
            var workloads = new ArrayList<Vocabulary.Entry>();
            for (JsonNode w : root.get("workloads")) {
                Scaling scaling = null;
                if (w.hasNonNull("scaling")) {
                    JsonNode s = w.get("scaling");
                    Map<String, String> fixed = new LinkedHashMap<>();
                    s.get("fixed").fields().forEachRemaining(e -> fixed.put(e.getKey(), e.getValue().asText()));
                    scaling = new Scaling(fixed, s.get("parameter").asText(), s.get("values").asText());
                }
                boolean cpu = w.get("cpuBound").asBoolean();
                workloads.add(new Vocabulary.Entry(w.get("id").asText(), w.get("summary").asText(), params(w.get("params")),
                        dev.conlab.bench.Model.UNKNOWN_COLOUR, w.get("order").asInt(), cpu, cpu, scaling));
            }
            return new Vocabulary(Vocabulary.PYTHON, List.copyOf(models), List.copyOf(workloads), root.get("baseline").asText());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Python catalog", e);
        }
    }

    private static List<Param> params(JsonNode list) {
        var params = new ArrayList<Param>();
        for (JsonNode p : list) {
            var choices = new ArrayList<String>();
            p.get("choices").forEach(c -> choices.add(c.asText()));
            params.add(new Param(p.get("name").asText(), Param.Kind.valueOf(p.get("kind").asText()), p.get("summary").asText(),
                    p.get("smoke").asText(), p.get("dflt").asText(), p.get("seed").asText(), p.get("min").asLong(), p.get("max").asLong(),
                    List.copyOf(choices), Param.Role.valueOf(p.get("role").asText())));
        }
        return List.copyOf(params);
    }
}
