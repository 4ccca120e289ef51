package dev.conlab.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link RunRequest} (suite, workloads, models, {@code -p owner.name=value} overrides, iteration
 * counts) into a {@link RunSpec}, checking everything first: a bad request fails with a one-line message
 * that names the valid choices, before anything runs or is written. The CLI and the server's queue share it.
 */
public final class RunPlanner {

    private RunPlanner() {
    }

    /**
     * A JVM run's plan.
     *
     * @throws InvalidSpecException with one sentence naming the valid choices
     */
    public static RunSpec plan(RunRequest request) {
        return plan(request, Vocabulary.jvm());
    }

    /**
     * A run's plan on the runtime whose models and workloads {@code vocabulary} lists (the JVM's or Python's).
     *
     * @throws InvalidSpecException with one sentence naming the valid choices
     */
    public static RunSpec plan(RunRequest asked, Vocabulary vocabulary) {
        RunRequest request = asked.onPython() && !asked.jdks().isEmpty() ? restrict(asked, vocabulary) : asked;
        Suite suite = Suite.parse(request.suite() == null ? Suite.DEFAULT.id() : request.suite());
        List<Vocabulary.Entry> workloads = request.workloads().isEmpty() ? vocabulary.workloads()
                : request.workloads().stream().distinct().map(vocabulary::workload).toList();
        List<Vocabulary.Entry> models = request.models().isEmpty() ? vocabulary.models()
                : request.models().stream().distinct().map(vocabulary::model).toList();

        Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        for (Vocabulary.Entry w : workloads) params.put(w.id(), Param.defaults(w.id(), w.params(), suite));
        for (Vocabulary.Entry m : models) params.put(m.id(), Param.defaults(m.id(), m.params(), suite));
        Map<String, Sweep> sweeps = new LinkedHashMap<>();
        if (suite == Suite.SCALING) {
            // the suite's sweeps, unless the request sets the same parameter itself
            for (Vocabulary.Entry w : workloads) {
                Scaling scaling = w.scaling();
                if (scaling == null) continue;
                scaling.fixed().forEach((name, value) -> {
                    if (!request.params().containsKey(w.id() + "." + name)) applyOverride(w.id() + "." + name, value, vocabulary, workloads, models, params, sweeps);
                });
                String key = w.id() + "." + scaling.parameter();
                if (!request.params().containsKey(key)) applyOverride(key, scaling.values(), vocabulary, workloads, models, params, sweeps);
            }
        }
        request.params().forEach((key, value) -> applyOverride(key, value, vocabulary, workloads, models, params, sweeps));

        Settings defaults = Settings.of(suite);
        // a target interval of the request's own, or the suite's unless the request sets the forks itself (--forks 3: three);
        // --max-forks without a target of either is refused by Settings
        int forks = request.forks() != null ? request.forks() : defaults.forks();
        Double target = request.targetCiPct() != null ? request.targetCiPct() : request.forks() != null ? null : defaults.targetCiPct();
        Integer most = request.maxForks() != null ? request.maxForks() : target == null ? null
                : Math.max(forks, defaults.maxForks() != null ? defaults.maxForks() : Settings.DEFAULT_MAX_FORKS);
        // interleaved as asked, else as the suite is (the default suite is) unless the fork mode asked for cannot be
        boolean chosen = request.interleave() != null;
        ForkMode mode = request.forkMode() != null ? ForkMode.parse(request.forkMode())
                : chosen && request.interleave() ? ForkMode.CELL : defaults.forkMode();
        boolean interleave = chosen ? request.interleave() : defaults.interleaved() && mode == ForkMode.CELL;
        if (interleave && mode != ForkMode.CELL) {
            throw new InvalidSpecException("interleaved rounds measure a fresh worker per cell: drop --fork-mode " + mode.id()
                    + " (or use --fork-mode cell)");
        }
        Settings settings = new Settings(
                request.warmups() != null ? request.warmups() : defaults.warmups(),
                request.iterations() != null ? request.iterations() : defaults.iterations(),
                forks,
                request.cellTimeoutSeconds() != null ? request.cellTimeoutSeconds() : defaults.cellTimeoutSeconds(),
                mode, request.shuffleSeed(), target, most, interleave ? Boolean.TRUE : null, defaults.replacements());
        var cells = new ArrayList<CellSpec>();
        for (Vocabulary.Entry w : workloads) {
            for (Vocabulary.Entry m : models) {
                // one cell per point of every sweep of this workload or model (their product when several)
                List<Map<String, Object>[]> points = new ArrayList<>();
                @SuppressWarnings("unchecked")
                Map<String, Object>[] start = new Map[] {params.get(w.id()), params.get(m.id())};
                points.add(start);
                for (Sweep sweep : sweeps.values()) {
                    int side = sweep.owner().equals(w.id()) ? 0 : sweep.owner().equals(m.id()) ? 1 : -1;
                    if (side < 0) continue;
                    var next = new ArrayList<Map<String, Object>[]>();
                    for (Map<String, Object>[] p : points) {
                        for (long v : sweep.values()) {
                            Map<String, Object>[] q = p.clone();
                            var changed = new LinkedHashMap<>(q[side]);
                            changed.put(sweep.name(), v);
                            q[side] = changed;
                            next.add(q);
                        }
                    }
                    points = next;
                }
                for (Map<String, Object>[] p : points) cells.add(new CellSpec(cells.size(), w.id(), m.id(), p[0], p[1]));
                if (cells.size() > MAX_CELLS) {
                    throw new InvalidSpecException("this run would have more than " + MAX_CELLS + " cells; sweep fewer points, "
                            + "workloads or models");
                }
            }
        }
        return new RunSpec(suite.id(), settings, cells, List.copyOf(sweeps.values()));
    }

    /**
     * A request for both runtimes, as one of them takes it: the models, workloads and parameters that the other runtime
     * knows and this one does not are left to the other (an id neither knows stays, and is refused with the valid ones).
     */
    static RunRequest restrict(RunRequest request, Vocabulary vocabulary) {
        Vocabulary other = Vocabulary.of(Vocabulary.PYTHON.equals(vocabulary.runtime()) ? Vocabulary.JVM : Vocabulary.PYTHON);
        String name = Vocabulary.PYTHON.equals(vocabulary.runtime()) ? "Python" : "JVM";
        List<String> models = request.models().stream()
                .filter(id -> vocabulary.findModel(id).isPresent() || other.findModel(id).isEmpty()).toList();
        if (!request.models().isEmpty() && models.isEmpty()) {
            throw new InvalidSpecException("none of the models " + request.models() + " runs on " + name + "; add one of its models: "
                    + vocabulary.modelIds());
        }
        List<String> workloads = request.workloads().stream()
                .filter(id -> vocabulary.findWorkload(id).isPresent() || other.findWorkload(id).isEmpty()).toList();
        if (!request.workloads().isEmpty() && workloads.isEmpty()) {
            throw new InvalidSpecException("none of the workloads " + request.workloads() + " runs on " + name
                    + "; add one of its workloads: " + vocabulary.workloadIds());
        }
        Map<String, String> params = new LinkedHashMap<>();
        request.params().forEach((key, value) -> {
            String owner = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            boolean mine = vocabulary.findModel(owner).isPresent() || vocabulary.findWorkload(owner).isPresent();
            boolean theirs = other.findModel(owner).isPresent() || other.findWorkload(owner).isPresent();
            if (mine || !theirs) params.put(key, value);
        });
        return request.withModels(models).withWorkloads(workloads).withParams(params);
    }

    /** The most cells one run may have (sweeps multiply them). */
    public static final int MAX_CELLS = 5000;

    private static void applyOverride(String key, String value, Vocabulary vocabulary, List<Vocabulary.Entry> workloads,
                                      List<Vocabulary.Entry> models, Map<String, Map<String, Object>> params, Map<String, Sweep> sweeps) {
        int dot = key.indexOf('.');
        if (dot <= 0 || dot == key.length() - 1) {
            throw new InvalidSpecException("bad parameter '" + key + "=" + value
                    + "': write it as workload.name=value or model.name=value, e.g. sleep-io.tasks=100");
        }
        String owner = key.substring(0, dot);
        String name = key.substring(dot + 1);
        List<Param> declared = null;
        for (Vocabulary.Entry w : workloads) if (w.id().equals(owner)) declared = w.params();
        for (Vocabulary.Entry m : models) if (m.id().equals(owner)) declared = m.params();
        if (declared == null) {
            boolean known = vocabulary.findWorkload(owner).isPresent() || vocabulary.findModel(owner).isPresent();
            throw new InvalidSpecException(known
                    ? "parameter '" + key + "' is for " + owner + ", which is not in this run; add it to --workloads or --models"
                    : "parameter '" + key + "' names no workload or model; valid workloads: " + vocabulary.workloadIds()
                    + "; valid models: " + vocabulary.modelIds());
        }
        Param param = declared.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        if (param == null) {
            String valid = declared.isEmpty() ? "it has no parameters"
                    : "valid parameters: " + String.join(", ", declared.stream().map(Param::name).toList());
            throw new InvalidSpecException("unknown parameter '" + name + "' for " + owner + "; " + valid);
        }
        var map = new LinkedHashMap<>(params.get(owner));
        if (Sweep.isSweep(value)) {
            Sweep sweep = Sweep.parse(owner, param, value);
            sweeps.put(sweep.parameter(), sweep);
            map.put(name, sweep.values().get(0));
        } else {
            sweeps.remove(owner + "." + name);
            map.put(name, param.parse(owner, value));
        }
        params.put(owner, map);
    }
}
