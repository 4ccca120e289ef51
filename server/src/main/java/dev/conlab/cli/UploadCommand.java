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
                "Example: conlab upload run-jdk25.json --server http://lab:7070 --token $CONLAB_TOKEN"})
final class UploadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "URL", defaultValue = "${env:CONLAB_SERVER}",
            description = "The lab server, e.g. http://lab:7070. Env: CONLAB_SERVER.")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CONLAB_TOKEN}",
            description = "A token with the upload scope. Env: CONLAB_TOKEN.")
    String token;

    @Parameters(paramLabel = "FILE", arity = "1..*")
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
            } else if (!uploader.upload(file.toString(), Files.readString(file), out, err)) {
                refused++;
            }
        }
        out.flush();
        err.flush();
        return refused == 0 ? 0 : 1;
    }
}
