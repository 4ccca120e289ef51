package dev.conlab.bench;

import dev.conlab.api.Task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A task of yours ({@link Task}) as a workload like any other: every model runs its units, the plan's checks, forks, T₁ and
 * the ideal apply. The instance made here only answers for its metadata (id, summary, parameters, kind); a worker JVM
 * makes its own for measuring, calls {@link Task#setup} once, and {@link Task#close} when done.
 */
public final class TaskWorkload implements Workload {

    /** Where tasks appear in lists: after every built-in workload. */
    static final int ORDER = 5000;

    private final Class<? extends Task> type;
    private final Task about;
    private final String source;

    /**
     * @param source where the task came from, said in errors and documents: its jar's file name, or "class path"
     */
    public TaskWorkload(Class<? extends Task> type, String source) {
        this.type = type;
        this.about = instantiate(type);
        this.source = source;
        String id = about.id();
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the task " + type.getName() + " has the id '" + id + "': an id is kebab-case "
                    + "(a-z, 0-9 and '-', starting with a letter, 64 at most); return another from its id()");
        }
    }

    /** What a workload id of the result document may be (its schema's pattern). */
    static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,63}");

    /** The system property that names, in a worker JVM, the task classes its class path's services files do not. */
    public static final String CLASSES_PROPERTY = "conlab.taskClasses";

    /**
     * The tasks a class loader's {@code META-INF/services/dev.conlab.api.Task} files name, and those {@value #CLASSES_PROPERTY}
     * names (comma-separated; a worker JVM of a run given {@code --task CLASS}).
     */
    public static List<TaskWorkload> onClassPath(ClassLoader loader) {
        var tasks = new ArrayList<TaskWorkload>();
        for (Class<? extends Task> type : taskClasses(loader, List.of(System.getProperty(CLASSES_PROPERTY, "").split(",")),
                "on this worker's class path", IllegalStateException::new)) {
            tasks.add(new TaskWorkload(type, "class path"));
        }
        return tasks;
    }

    /**
     * The task classes {@code loader} offers — those its META-INF/services/dev.conlab.api.Task lists (ServiceLoader), then
     * those {@code named} that are not among them — each a class of the loader that implements {@link Task}; else
     * {@code refusal} gets a sentence saying which is not and why ({@code where}: where they were looked for).
     */
    static List<Class<? extends Task>> taskClasses(ClassLoader loader, List<String> named, String where,
                                                   java.util.function.Function<String, RuntimeException> refusal) {
        var types = new ArrayList<Class<? extends Task>>();
        try {
            for (ServiceLoader.Provider<Task> p : ServiceLoader.load(Task.class, loader).stream().toList()) types.add(p.type());
        } catch (java.util.ServiceConfigurationError e) {
            throw refusal.apply("a META-INF/services/dev.conlab.api.Task " + where + " names a class that is not a usable task: "
                    + e.getMessage());
        }
        for (String name : named) {
            String className = name.strip();
            if (className.isEmpty() || types.stream().anyMatch(t -> t.getName().equals(className))) continue;
            Class<?> c;
            try {
                c = Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw refusal.apply("no class " + className + " " + where);
            }
            if (!Task.class.isAssignableFrom(c)) throw refusal.apply(className + " does not implement dev.conlab.api.Task");
            types.add(c.asSubclass(Task.class));
        }
        return types;
    }

    static Task instantiate(Class<? extends Task> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("cannot make the task " + type.getName() + ": it needs a public class with a public "
                    + "no-argument constructor (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    public Class<? extends Task> type() {
        return type;
    }

    public String source() {
        return source;
    }

    /** The kind the task states, or null when the lab is to learn it. */
    public Task.Kind statedKind() {
        return about.kind();
    }

    @Override
    public String id() {
        return about.id();
    }

    @Override
    public String summary() {
        return about.summary();
    }

    @Override
    public int displayOrder() {
        return ORDER;
    }

    @Override
    public boolean cpuBound() {
        return about.kind() == Task.Kind.CPU;
    }

    /** Always: T₁ is the ideal's base when the kind is stated, and how the kind is learnt when it is not. */
    @Override
    public boolean idealUsesOneThreadTime() {
        return true;
    }

    /** At or above this CPU share T₁ computes; at or below {@link #WAITING_SHARE} it waits; between, both. */
    static final double CPU_SHARE = 0.8;
    static final double WAITING_SHARE = 0.2;

    /** A kind learnt from T₁, and the ideal time it gives a cell. */
    public record Learnt(Task.Kind kind, double cpuShare, long idealNanos, String formula) {
    }

    /**
     * The kind of a task that does not state it, from its T₁'s CPU ÷ wall time, and the cell's {@link #ideal} that follows.
     * Null for any other workload, a stated kind, or a T₁ without CPU time.
     */
    public static Learnt learnt(CellResult cell, OneThread t1, Integer processors) {
        TaskInfo task = TaskInfo.find(cell.workload()).orElse(null);
        if (task == null || task.kind() != null || t1.cpuShare() == null) return null;
        Object units = cell.params().get(Task.TASKS);
        if (!(units instanceof Number n) || n.intValue() < 1 || t1.nanos() <= 0) return null;
        int tasks = n.intValue();
        int k = cell.concurrency() == null ? tasks : cell.concurrency();
        int p = processors == null ? Runtime.getRuntime().availableProcessors() : processors;
        double share = t1.cpuShare();
        Task.Kind kind = kindOf(share);
        String said = String.format(java.util.Locale.ROOT, "learnt from T₁ (CPU ÷ wall %.2f): it %s; ", share,
                kind == Task.Kind.CPU ? "computes" : kind == Task.Kind.WAITING ? "waits" : "both computes and waits");
        return new Learnt(kind, share, Math.round(ideal(kind, t1.nanos(), share, tasks, k, p)), said + formula(kind));
    }

    /** The kind a CPU share says: at or above {@link #CPU_SHARE} it computes, at or below {@link #WAITING_SHARE} it waits. */
    public static Task.Kind kindOf(double cpuShare) {
        return cpuShare >= CPU_SHARE ? Task.Kind.CPU : cpuShare <= WAITING_SHARE ? Task.Kind.WAITING : Task.Kind.MIXED;
    }

    /** Its parameters as it declares them, {@code tasks} among them (100 when it does not say). */
    public Map<String, Long> declared() {
        var declared = new LinkedHashMap<String, Long>(about.parameters());
        declared.putIfAbsent(Task.TASKS, 100L);
        return java.util.Collections.unmodifiableMap(declared);
    }

    /**
     * The ideal of a cell of a task of this kind, stated or learnt: waiting — ⌈tasks ÷ k⌉ rounds of one unit's time;
     * computing — T₁ ÷ min(tasks, k, P); mixed — the larger of the waiting one and the CPU part T₁ × share spread over
     * min(tasks, k, P).
     */
    static double ideal(Task.Kind kind, double t1, double share, int tasks, int k, int p) {
        int atOnce = Math.max(1, k);
        double waiting = Math.ceil((double) tasks / Math.min(tasks, atOnce)) * t1 / tasks;
        double computing = t1 / Math.max(1, Math.min(tasks, Math.min(atOnce, p)));
        return switch (kind) {
            case WAITING -> waiting;
            case CPU -> computing;
            case MIXED -> Math.max(waiting, computing * share);
        };
    }

    static String formula(Task.Kind kind) {
        return switch (kind) {
            case WAITING -> "⌈tasks ÷ k⌉ × T₁ ÷ tasks";
            case CPU -> "T₁ ÷ min(tasks, k, P)";
            case MIXED -> "max(⌈tasks ÷ k⌉ × T₁ ÷ tasks, T₁ × CPU share ÷ min(tasks, k, P))";
        };
    }

    @Override
    public List<Param> params() {
        return params(about.parameters());
    }

    /**
     * A task's parameters as the lab's {@link Param}s, Java's and Python's alike: {@code tasks} first (the units per
     * iteration, 100 when not declared; its smoke size at most 10), then every other declared whole number at its default.
     */
    public static List<Param> params(Map<String, Long> parameters) {
        var params = new ArrayList<Param>();
        Map<String, Long> declared = new LinkedHashMap<>(parameters);
        long tasks = declared.getOrDefault(Task.TASKS, 100L);
        params.add(Param.integer(Task.TASKS, "Units of the task per iteration", Math.min(tasks, 10), tasks, tasks, 1, 10_000_000)
                .as(Param.Role.WORK));
        declared.remove(Task.TASKS);
        declared.forEach((name, value) -> params.add(Param.integer(name, "A parameter of the task", value, value, value,
                Long.MIN_VALUE, Long.MAX_VALUE)));
        return List.copyOf(params);
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) throws Exception {
        Task task = instantiate(type);
        var values = new LinkedHashMap<String, Long>();
        for (Param p : params()) values.put(p.name(), params.longValue(p.name()));
        task.setup(Map.copyOf(values));
        return new Instance(task, params.intValue(Task.TASKS));
    }

    private record Instance(Task task, int tasks) implements WorkloadInstance {

        @Override
        public int taskCount() {
            return tasks;
        }

        @Override
        public Object runTask(int i) throws Exception {
            return task.run(i);
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            try {
                task.check(java.util.Collections.unmodifiableList(results));
            } catch (WrongResultException e) {
                throw e;
            } catch (Exception e) {
                throw new WrongResultException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }

        @Override
        public long idealNanos(IdealContext context) {
            Task.Kind kind = task.kind();
            // not stated: the supervisor learns it from T₁ (learnt); mixed: its CPU share is known only there too
            if (kind == null || kind == Task.Kind.MIXED) return -1;
            return Math.round(ideal(kind, context.oneThreadNanos().getAsLong(), 1.0, tasks, context.concurrency(), context.processors()));
        }

        @Override
        public String idealFormula() {
            Task.Kind kind = task.kind();
            if (kind == null) return "none: the task's kind is not stated";
            return kind == Task.Kind.MIXED ? "none: a mixed task's ideal depends on its CPU share"
                    : formula(kind) + (kind == Task.Kind.WAITING ? " (it waits: the units overlap)" : " (it computes)");
        }

        @Override
        public void close() throws Exception {
            task.close();
        }
    }
}
