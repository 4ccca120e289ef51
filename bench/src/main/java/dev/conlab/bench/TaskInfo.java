package dev.conlab.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A task of yours as a document carries it ({@code tasks} of the run document): enough for a server that does not have its
 * code to store, list, compare and draw the run, and for a reader to know which build of it was measured.
 *
 * @param workload the task's workload id
 * @param summary  its one sentence
 * @param language {@code java} (a {@code dev.conlab.api.Task} in a jar) or {@code python} (a {@code module:function})
 * @param entry    the Java class's name, or {@code module:function}
 * @param file     the jar's file name, or the Python module's file name
 * @param sha256   that file's SHA-256, hex; null when it could not be read
 * @param kind     the kind the task states ({@code waiting}, {@code cpu}, {@code mixed}), or null when the lab learns it from T₁
 * @param params   its whole-number parameters with their defaults, {@code tasks} among them
 */
public record TaskInfo(String workload, String summary, String language, String entry, String file, String sha256, String kind,
                       Map<String, Long> params) {

    /** A summary longer than the document's text fields allow is cut, not refused. */
    public TaskInfo {
        if (summary != null && summary.length() > 1000) summary = summary.substring(0, 999) + "…";
    }

    public static final String JAVA = "java";
    public static final String PYTHON = "python";

    private static final Map<String, TaskInfo> REGISTERED = new ConcurrentHashMap<>();

    /**
     * Makes the tasks of one language known to this process (their jars or modules were read at start), so that its runs'
     * documents carry them; those an earlier command of this process registered in that language are forgotten.
     */
    public static synchronized void register(String language, List<TaskInfo> tasks) {
        REGISTERED.values().removeIf(t -> t.language().equals(language));
        for (TaskInfo t : tasks) REGISTERED.put(t.workload(), t);
    }

    /** A task this process registered, by workload id. */
    public static Optional<TaskInfo> find(String workload) {
        return Optional.ofNullable(REGISTERED.get(workload));
    }

    /** The registered tasks among these workload ids, in their order; null when none is a task (and absent from the JSON). */
    public static List<TaskInfo> of(List<String> workloads) {
        var tasks = workloads.stream().distinct().map(REGISTERED::get).filter(java.util.Objects::nonNull).toList();
        return tasks.isEmpty() ? null : tasks;
    }

    /** A file's SHA-256 in hex, or null when it cannot be read. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }
}
