package dev.conlab.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The registry: every model and every workload, in display order, with their facts (summary, parameters,
 * colour, CPU-bound or not, which model is the baseline). It is the one place the rest of the lab — the
 * planner, the CLI, the pages, the comparison — asks.
 *
 * <p>Registration is JMH's rule, "on the class path means registered": a model or workload is one class plus
 * one line in {@code META-INF/services/dev.conlab.bench.Model} (or {@code …Workload}). Test fixtures join the
 * same way, from a services file that only their tests put on the class path; a child JVM of the
 * {@code processes} model is given its workload's class, so nothing is forwarded as a system property.
 */
public final class Catalog {

    /** The registered models, in display order (built-ins first by {@link Model#displayOrder()}, then by id). */
    public static final List<Model> MODELS = load(Model.class, Model::id, Model::displayOrder);

    /**
     * The registered workloads, in display order: the built-in ones, the tasks of yours ({@link dev.conlab.api.Task}) on the
     * class path (a worker JVM's, which has the task jars on it), and those {@link #register registered} from task jars read
     * at start. A live view: it shows what is registered when it is read.
     */
    public static final List<Workload> WORKLOADS = new java.util.AbstractList<>() {
        @Override
        public Workload get(int index) {
            return workloads.get(index);
        }

        @Override
        public int size() {
            return workloads.size();
        }
    };

    /** The built-in workloads and the tasks on this JVM's own class path (a worker JVM's): what {@link #register} adds to. */
    private static final List<Workload> BUILT_IN = withTasks(load(Workload.class, Workload::id, Workload::displayOrder),
            dev.conlab.bench.TaskWorkload.onClassPath(Catalog.class.getClassLoader()));

    private static volatile List<Workload> workloads = BUILT_IN;

    private Catalog() {
    }

    private static <T> List<T> load(Class<T> type, Function<T, String> id, ToIntFunction<T> order) {
        var list = new ArrayList<T>();
        ServiceLoader.load(type, Catalog.class.getClassLoader()).forEach(list::add);
        var seen = new HashSet<String>();
        for (T item : list) {
            if (!seen.add(id.apply(item))) {
                throw new IllegalStateException("two " + type.getSimpleName() + " classes on the class path have the id '"
                        + id.apply(item) + "'; every id must be unique");
            }
        }
        list.sort(Comparator.comparingInt(order).thenComparing(id));
        return List.copyOf(list);
    }

    /**
     * Sets the workloads beside the built-in ones — the tasks of the jars read at start ({@link dev.conlab.bench.TaskJars}),
     * replacing any an earlier command of this process registered — before anything is measured; an id that is taken
     * already is refused with a sentence that names both.
     */
    public static synchronized void register(List<? extends Workload> more) {
        workloads = withTasks(BUILT_IN, more);
        Vocabulary.catalogChanged();
    }

    private static List<Workload> withTasks(List<Workload> known, List<? extends Workload> more) {
        var all = new ArrayList<Workload>(known);
        for (Workload w : more) {
            // the same task class registered again (a second run in one JVM): the newer jar's replaces it
            if (w instanceof dev.conlab.bench.TaskWorkload t) {
                all.removeIf(k -> k instanceof dev.conlab.bench.TaskWorkload o && o.type().getName().equals(t.type().getName()));
            }
            for (Workload k : all) {
                if (k.id().equals(w.id())) {
                    throw new InvalidSpecException("the task " + w.summary() + " has the id '" + w.id() + "', which "
                            + (k instanceof dev.conlab.bench.TaskWorkload ? "another task has" : "is a built-in workload's")
                            + ": give it another id (its id() method)");
                }
            }
            all.add(w);
        }
        all.sort(Comparator.comparingInt(Workload::displayOrder).thenComparing(Workload::id));
        return List.copyOf(all);
    }

    public static Model model(String id) {
        return findModel(id).orElseThrow(() ->
                new InvalidSpecException("unknown model '" + id + "'; valid models: " + modelIds()));
    }

    public static Workload workload(String id) {
        return findWorkload(id).orElseThrow(() ->
                new InvalidSpecException("unknown workload '" + id + "'; valid workloads: " + workloadIds()));
    }

    public static Optional<Model> findModel(String id) {
        return MODELS.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public static Optional<Workload> findWorkload(String id) {
        return WORKLOADS.stream().filter(w -> w.id().equals(id)).findFirst();
    }

    /** The model every speedup is against and whose code path gives T₁: the one that says {@link Model#baseline()}. */
    public static Model baseline() {
        return MODELS.stream().filter(Model::baseline).findFirst()
                .orElseThrow(() -> new IllegalStateException("no registered model is the baseline"));
    }

    public static String modelIds() {
        return MODELS.stream().map(Model::id).collect(Collectors.joining(", "));
    }

    public static String workloadIds() {
        return WORKLOADS.stream().map(Workload::id).collect(Collectors.joining(", "));
    }
}
