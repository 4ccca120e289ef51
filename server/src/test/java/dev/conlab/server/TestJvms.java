package dev.conlab.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM options of the lab's own processes that the tests start and stop by the dozen (`conlab serve`, `conlab agent`):
 * never of the worker JVMs those processes fork, which measure.
 *
 * <ul>
 *   <li>{@code -XX:TieredStopAtLevel=1}: a test server lives seconds, and C2 spent about 2.2 of its 6.6 CPU seconds of
 *       start-up compiling code it never ran long enough to need (docs/TESTING.md); the C1 code is the same program.</li>
 *   <li>an application class-data archive of the jar per kind of process, made by the first one that ends normally: about
 *       a second less per start. While the archive is not yet known to be whole, one process at a time may write it (the
 *       integration tests run two classes at once) and the others start without it.</li>
 * </ul>
 *
 * Not for the launchers a test checks as a user runs them (./conlab, the image's command), nor for fixture class paths.
 */
final class TestJvms {

    private static final Map<String, Process> WRITERS = new HashMap<>();

    private TestJvms() {
    }

    /** Options for a process of kind {@code kind} ("server", "agent"); call {@link #started} with the process. */
    static synchronized Launch options(String kind) {
        var options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-Xlog:disable"));
        if (Runtime.version().feature() < 19) return new Launch(kind, options, false);
        Path archive = Path.of(System.getProperty("conlab.jar")).resolveSibling("test-" + kind + ".jsa");
        Process writer = WRITERS.get(kind);
        if (whole(archive) && (writer == null || !writer.isAlive())) {
            options.add("-XX:SharedArchiveFile=" + archive); // read only: the JVM maps it and writes nothing
            return new Launch(kind, options, false);
        }
        if (writer != null && writer.isAlive()) return new Launch(kind, options, false); // another one is making it
        options.addAll(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive));
        return new Launch(kind, options, true);
    }

    /** An archive written after the jar it describes, by a writer that has ended. */
    private static boolean whole(Path archive) {
        try {
            Path jar = Path.of(System.getProperty("conlab.jar"));
            return Files.isRegularFile(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    record Launch(String kind, List<String> options, boolean writes) {

        /** The process these options started. */
        Process started(Process process) {
            if (writes) {
                synchronized (TestJvms.class) {
                    WRITERS.put(kind, process);
                }
            }
            return process;
        }
    }
}
