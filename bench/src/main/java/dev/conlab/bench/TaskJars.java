package dev.conlab.bench;

import dev.conlab.api.Task;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Task jars given at start ({@code conlab run --task-jar PATH}, {@code conlab serve --task-jar PATH}): their tasks, found by
 * {@link java.util.ServiceLoader} (or named by class), read for their metadata in this JVM, and the class path the worker JVMs get so
 * that they measure them. Nothing of a jar runs here beyond its tasks' constructors and metadata methods.
 */
public final class TaskJars {

    private final List<Path> jars;
    private final List<TaskWorkload> tasks;

    private TaskJars(List<Path> jars, List<TaskWorkload> tasks) {
        this.jars = jars;
        this.tasks = tasks;
    }

    /** No task jars. */
    public static final TaskJars NONE = new TaskJars(List.of(), List.of());

    private static volatile TaskJars installed = NONE;

    /**
     * Reads the jars ({@link #open}) and registers their tasks in this process's {@link Catalog}, in place of any an earlier
     * command of this process registered; the measurers of this process then give them to their workers ({@link #installed()}).
     */
    public static TaskJars install(List<Path> jarPaths, List<String> classes) {
        TaskJars jars = open(jarPaths, classes);
        Catalog.register(jars.tasks());
        var infos = new ArrayList<TaskInfo>();
        for (TaskWorkload t : jars.tasks()) {
            Path jar = jars.jarOf(t);
            infos.add(new TaskInfo(t.id(), t.summary(), TaskInfo.JAVA, t.type().getName(), jar.getFileName().toString(),
                    TaskInfo.sha256(jar), t.statedKind() == null ? null : Vocabulary.kindId(t.statedKind()), t.declared()));
        }
        TaskInfo.register(TaskInfo.JAVA, infos);
        installed = jars;
        return jars;
    }

    /** The task jars this process installed at start, or {@link #NONE}. */
    public static TaskJars installed() {
        return installed;
    }

    /**
     * Reads the jars; {@code classes} names tasks in them that are not registered in their services file.
     *
     * @throws InvalidSpecException a jar that is missing or unreadable, a class that is not a task, a jar without tasks
     */
    public static TaskJars open(List<Path> jarPaths, List<String> classes) {
        if (jarPaths.isEmpty() && classes.isEmpty()) return NONE;
        if (jarPaths.isEmpty()) throw new InvalidSpecException("--task names a class, but no --task-jar says where it is");
        var jars = new ArrayList<Path>();
        var urls = new ArrayList<URL>();
        for (Path p : jarPaths) {
            Path jar = p.toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
                throw new InvalidSpecException("no task jar at " + jar + ": build it with javac -cp \"$(conlab api-jar)\" and jar, "
                        + "then give its path");
            }
            jars.add(jar);
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new InvalidSpecException("cannot read the task jar " + jar + ": " + e.getMessage());
            }
        }
        var loader = new URLClassLoader("conlab-tasks", urls.toArray(URL[]::new), TaskJars.class.getClassLoader());
        var tasks = new ArrayList<TaskWorkload>();
        for (Class<? extends Task> type : TaskWorkload.taskClasses(loader, classes, "in the task jars " + jars, InvalidSpecException::new)) {
            try {
                tasks.add(new TaskWorkload(type, sourceOf(type, jars)));
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException(e.getMessage());
            }
        }
        if (tasks.isEmpty()) {
            throw new InvalidSpecException("no task in " + jars + ": list your classes in META-INF/services/dev.conlab.api.Task "
                    + "inside the jar, or name one with --task CLASS");
        }
        return new TaskJars(List.copyOf(jars), List.copyOf(tasks));
    }

    private static String sourceOf(Class<?> type, List<Path> jars) {
        return jarOf(type, jars).getFileName().toString();
    }

    private static Path jarOf(Class<?> type, List<Path> jars) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return jars.get(0);
        }
    }

    /** The jar a task of these jars came from. */
    Path jarOf(TaskWorkload task) {
        return jarOf(task.type(), jars);
    }

    public List<TaskWorkload> tasks() {
        return tasks;
    }

    public List<Path> jars() {
        return jars;
    }

    /** {@code base} with the jars after it: the worker JVMs' class path. */
    public String classpath(String base) {
        var entries = new ArrayList<String>(List.of(base));
        for (Path j : jars) entries.add(j.toString());
        return String.join(File.pathSeparator, entries);
    }

    /** The system properties a worker JVM needs to register these tasks: the task classes by name (--task CLASS among them). */
    public List<String> systemProperties() {
        if (tasks.isEmpty()) return List.of();
        return List.of("-D" + TaskWorkload.CLASSES_PROPERTY + "=" + String.join(",", tasks.stream().map(t -> t.type().getName()).toList()));
    }
}
