package dev.conlab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "upload", mixinStandardHelpOptions = true,
        description = {"Upload result documents (conlab run --out files) to a lab server.",
                "Example: conlab upload run-jdk25.json --server http://lab:7070 --token $CONLAB_TOKEN",
                "With --jmh, the FILEs are JMH result files of this machine, sent with its probe:",
                "  conlab upload --jmh target/jmh-result.json --server http://lab:7070 --machine-label ci-runner-3"})
final class UploadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "URL", defaultValue = "${env:CONLAB_SERVER}",
            description = "The lab server, e.g. http://lab:7070. Env: CONLAB_SERVER.")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CONLAB_TOKEN}",
            description = "A token with the upload scope. Env: CONLAB_TOKEN.")
    String token;

    @picocli.CommandLine.Mixin
    JmhOptions jmh;
    @picocli.CommandLine.Mixin
    MachineNameOption machineName;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Result documents (JSON), or with --jmh JMH result files.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        Uploader uploader = new Uploader(server, token);
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        int refused = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                err.println(file + ": no such file");
                refused++;
            } else if (jmh.jmh) {
                var result = dev.conlab.bench.jmh.JmhImport.convert(JmhOptions.read(file), jmh.machine(), JmhOptions.finishedAt(file),
                        file.getFileName().toString());
                if (!result.valid()) {
                    err.println(file + ": not a JMH result file the lab can read:");
                    result.problems().forEach(p -> err.println("  " + p.path() + ": " + p.message()));
                    refused++;
                } else if (!uploader.upload(file.toString(), dev.conlab.bench.Json.MAPPER.writeValueAsString(result.document()), out, err)) {
                    refused++;
                }
            } else if (!uploader.upload(file.toString(), Files.readString(file), out, err)) {
                refused++;
            }
        }
        out.flush();
        err.flush();
        return refused == 0 ? 0 : 1;
    }
}
