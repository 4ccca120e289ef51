package dev.conlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `conlab` as a process of its own, on this test JVM's class path: for a test that runs tasks of yours beside the other
 * tests. In this process, `conlab run --task-jar` and `--python-task` register their tasks in the process's catalog,
 * which every test beside it reads; in a process of their own they are that process's alone.
 */
final class CliProcess {

    private CliProcess() {
    }

    /** Runs {@code conlab ARGS} to its end (at most {@code timeoutSeconds}); its output and errors go through {@code dir}. */
    static RunCommandTest.Result conlab(Path dir, int timeoutSeconds, String... args) throws Exception {
        var command = new ArrayList<String>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "conlab", ".out");
        Path err = Files.createTempFile(dir, "conlab", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor();
        var result = new RunCommandTest.Result(p.exitValue(), Files.readString(out), Files.readString(err));
        assertThat(ended).as("conlab %s did not end in %d s: %s%s", String.join(" ", args), timeoutSeconds, result.out(), result.err())
                .isTrue();
        return result;
    }
}
