package dev.conlab.cli;

import dev.conlab.api.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "api-jar", mixinStandardHelpOptions = true,
        description = {"Print the path of the jar with dev.conlab.api.Task, the interface your own tasks implement:",
                "  javac -cp \"$(conlab api-jar)\" -d classes MyTask.java",
                "then list the class in classes/META-INF/services/dev.conlab.api.Task, make a jar of classes/ and measure it",
                "with conlab run --task-jar my-tasks.jar. (./conlab builds the jar first when it is missing.)"})
final class ApiJarCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path jar = Path.of(Task.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) {
            spec.commandLine().getErr().println("conlab: the API is not in a jar here (" + jar + "): run ./mvnw -pl api package");
            return 1;
        }
        spec.commandLine().getOut().println(jar.toAbsolutePath().normalize());
        return 0;
    }
}
