package dev.conlab.cli;

import dev.conlab.bench.TaskJars;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --task-jar PATH}, {@code --task CLASS}, {@code --python-task MODULE:FUNCTION} and {@code --python-path DIR}, shared by
 * run, serve, agent and catalog: the user's own tasks — jars of {@code dev.conlab.api.Task}s and Python functions — read at
 * start and registered as workloads of this process, in place of an earlier command's; its worker JVMs get the jars on their
 * class path, its Python workers the functions. Only the one who starts the process puts code on it: nothing uploaded over
 * HTTP is ever executed.
 */
final class TaskJarOptions {

    /** The environment variable that lists task jars when no --task-jar is given, separated as a class path is. */
    static final String ENV = "CONLAB_TASK_JARS";

    @Option(names = "--task-jar", paramLabel = "PATH",
            description = {"A jar of your own tasks (dev.conlab.api.Task, listed in its META-INF/services/dev.conlab.api.Task); "
                    + "repeatable. Each task is a workload like the built-in ones. Build one with javac -cp \"$(conlab api-jar)\". "
                    + "Env: " + ENV + " (paths separated by '${sys:path.separator}')."})
    List<Path> jars = new ArrayList<>();

    @Option(names = "--task", paramLabel = "CLASS", description = "A task class in the --task-jar jars that their services file does not list; repeatable.")
    List<String> classes = new ArrayList<>();

    @Option(names = "--python-task", paramLabel = "MODULE:FUNCTION",
            description = {"A Python function of yours, called with each unit's index, measured under every Python model; repeatable. "
                    + "Beside it the lab looks for FUNCTION_async, FUNCTION_setup, FUNCTION_check, FUNCTION_params, FUNCTION_kind "
                    + "(docs/TASKS.md)."})
    List<String> pythonTasks = new ArrayList<>();

    @Option(names = "--python-path", paramLabel = "DIR", description = "A directory the --python-task modules are imported from; repeatable.")
    List<Path> pythonPath = new ArrayList<>();

    /** The ids of the Python tasks {@link #install} registered. */
    List<String> pythonTaskIds = List.of();

    /** Both kinds of task, the Python ones described with python3 on the PATH. */
    TaskJars install() {
        return install("python3");
    }

    /**
     * Reads the jars (an unusable one refused with InvalidSpecException) and registers their tasks in this process; then the
     * Python tasks, described by {@code python} (an interpreter's path or a name on the PATH).
     */
    TaskJars install(String python) {
        TaskJars jars = installJars();
        pythonTaskIds = dev.conlab.bench.fork.PythonTasks.install(pythonTasks, pythonPath, python);
        return jars;
    }

    private TaskJars installJars() {
        List<Path> chosen = jars;
        String env = System.getenv(ENV);
        if (chosen.isEmpty() && env != null && !env.isBlank()) {
            chosen = new ArrayList<>();
            for (String p : env.split(File.pathSeparator)) if (!p.isBlank()) chosen.add(Path.of(p.strip()));
        }
        return TaskJars.install(chosen, classes);
    }
}
