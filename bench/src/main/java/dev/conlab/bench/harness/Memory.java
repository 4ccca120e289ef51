package dev.conlab.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The worker's resident memory, from {@code /proc/self/status} (Linux): VmRSS now, and VmHWM, the peak, which writing
 * 5 to {@code /proc/self/clear_refs} resets (Linux 4.0+) so that each iteration has its own peak. Elsewhere null.
 */
final class Memory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private final boolean readable = Files.isReadable(STATUS);
    private final boolean resettable = readable && resetPeak();

    /** Resets the peak; false where the kernel does not let this process. */
    boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    Long rss() {
        return kib("VmRSS:");
    }

    Long peak() {
        return kib("VmHWM:");
    }

    private Long kib(String key) {
        if (!readable) return null;
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    boolean resettable() {
        return resettable;
    }

    String source() {
        if (!readable) return "not measured: " + STATUS + " is not readable here (resident memory is read from Linux's /proc)";
        return resettable ? "VmHWM of /proc/self/status, reset before each iteration through /proc/self/clear_refs (the worker JVM's own; "
                + "processes children not included)"
                : "VmHWM of /proc/self/status since the worker started (this kernel does not let it be reset): an upper bound of the "
                + "iteration's peak";
    }
}
