package dev.conlab.bench.fork;

import dev.conlab.bench.PythonCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Python worker shipped inside the jar ({@code worker.py}, its {@code conlab_worker} package and {@code catalog.json}),
 * copied once per lab process
 * into a private temporary folder, since an interpreter cannot run a script from inside a jar.
 */
public final class PythonWorker {

    static final List<String> FILES = List.of("worker.py", "catalog.json", "conlab_worker/__init__.py",
            "conlab_worker/base.py", "conlab_worker/compute.py", "conlab_worker/handoff.py", "conlab_worker/harness.py",
            "conlab_worker/meters.py", "conlab_worker/models.py", "conlab_worker/native.py", "conlab_worker/probe.py",
            "conlab_worker/usertasks.py", "conlab_worker/waiting.py", "conlab_worker/workloads.py");
    private static volatile Path script;

    private PythonWorker() {
    }

    /** The path of {@code worker.py}, extracted on first use and deleted when the lab exits. */
    public static Path script() {
        Path s = script;
        if (s != null && Files.isRegularFile(s)) return s;
        synchronized (PythonWorker.class) {
            if (script != null && Files.isRegularFile(script)) return script;
            try {
                Path dir = Files.createTempDirectory("conlab-python-");
                for (String name : FILES) {
                    try (InputStream in = PythonWorker.class.getResourceAsStream(PythonCatalog.RESOURCES + name)) {
                        if (in == null) throw new IllegalStateException(PythonCatalog.RESOURCES + name + " is missing from the class path");
                        Files.createDirectories(dir.resolve(name).getParent());
                        Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                script = dir.resolve("worker.py");
                return script;
            } catch (IOException e) {
                throw new IllegalStateException("cannot extract the Python worker: " + e.getMessage(), e);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
