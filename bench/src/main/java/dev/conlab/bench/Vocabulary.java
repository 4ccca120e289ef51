package dev.conlab.bench;


import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one runtime offers — its models and workloads with their parameters — so that a run request is planned and
 * checked the same way for the JVM (the {@link Catalog}) and for Python (the Python worker's {@code catalog.json}).
 *
 * @param runtime  {@code jvm} or {@code python}
 * @param baseline the model every speedup is against and whose code path gives T₁
 */
public record Vocabulary(String runtime, List<Entry> models, List<Entry> workloads, String baseline) {

    /**
     * A model or a workload as the planner and the pages see it.
     *
     * @param cpuBound               its time depends on how many cores run it (workloads)
     * @param idealUsesOneThreadTime its ideal is a multiple of T₁, which the run measures once (workloads)
     * @param scaling                what the scaling suite sweeps, or null (workloads)
     */
    public record Entry(String id, String summary, List<Param> params, String colour, int displayOrder, boolean cpuBound,
                        boolean idealUsesOneThreadTime, Scaling scaling) {
    }

    public static final String JVM = "jvm";
    public static final String PYTHON = "python";

    private static volatile Vocabulary jvm;

    /** The JVM's: every registered model and workload, the scaling suite's sweeps for this machine's processors. */
    public static Vocabulary jvm() {
        Vocabulary v = jvm;
        if (v == null) {
            int processors = Runtime.getRuntime().availableProcessors();
            v = new Vocabulary(JVM,
                    Catalog.MODELS.stream().map(m -> new Entry(m.id(), m.summary(), m.params(), m.colour(), m.displayOrder(), false, false, null))
                            .toList(),
                    Catalog.WORKLOADS.stream().map(w -> new Entry(w.id(), w.summary(), w.params(), Model.UNKNOWN_COLOUR, w.displayOrder(),
                            w.cpuBound(), w.idealUsesOneThreadTime(), w.scaling(processors))).toList(),
                    Catalog.baseline().id());
            jvm = v;
        }
        return v;
    }

    /** The catalog gained workloads (task jars registered at start): the JVM's vocabulary is made again when next asked. */
    static void catalogChanged() {
        jvm = null;
    }

    /** A kind of work as documents and the API spell it: {@code waiting}, {@code cpu}, {@code mixed}. */
    public static String kindId(dev.conlab.api.Task.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Python's, from the worker's catalog. */
    public static Vocabulary python() {
        return PythonCatalog.vocabulary();
    }

    /** The vocabulary of a runtime id. */
    public static Vocabulary of(String runtime) {
        return PYTHON.equals(runtime) ? python() : jvm();
    }

    public Optional<Entry> findModel(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public Optional<Entry> findWorkload(String id) {
        return workloads.stream().filter(w -> w.id().equals(id)).findFirst();
    }

    /** @throws InvalidSpecException naming the valid models of this runtime */
    public Entry model(String id) {
        return findModel(id).orElseThrow(() -> new InvalidSpecException("unknown " + (PYTHON.equals(runtime) ? "Python " : "")
                + "model '" + id + "'; valid models: " + modelIds()));
    }

    /** @throws InvalidSpecException naming the valid workloads of this runtime */
    public Entry workload(String id) {
        return findWorkload(id).orElseThrow(() -> new InvalidSpecException("unknown " + (PYTHON.equals(runtime) ? "Python " : "")
                + "workload '" + id + "'; valid workloads: " + workloadIds()));
    }

    public String modelIds() {
        return models.stream().map(Entry::id).collect(Collectors.joining(", "));
    }

    public String workloadIds() {
        return workloads.stream().map(Entry::id).collect(Collectors.joining(", "));
    }

    /** The colour of a model id of any runtime (grey for one no runtime here knows). */
    public static String colour(String modelId) {
        return jvm().findModel(modelId).or(() -> python().findModel(modelId)).map(Entry::colour).orElse(Model.UNKNOWN_COLOUR);
    }

    /** Where a model of any runtime sorts on pages and charts (1000 for one no runtime here knows). */
    public static int displayOrder(String modelId) {
        return jvm().findModel(modelId).or(() -> python().findModel(modelId)).map(Entry::displayOrder).orElse(1000);
    }

    /** Whether a workload id of any runtime is CPU-bound. */
    public static boolean isCpuBound(String workloadId) {
        return jvm().findWorkload(workloadId).or(() -> python().findWorkload(workloadId)).map(Entry::cpuBound).orElse(false);
    }

    /** A parameter of any runtime's workload or model, for derived figures of uploaded documents. */
    public static Optional<Param> param(String owner, String name) {
        for (Vocabulary v : List.of(jvm(), python())) {
            Optional<Entry> e = v.findWorkload(owner).or(() -> v.findModel(owner));
            if (e.isPresent()) return e.get().params().stream().filter(p -> p.name().equals(name)).findFirst();
        }
        return Optional.empty();
    }
}
