package dev.conlab.bench.fork;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.conlab.bench.Json;
import dev.conlab.bench.PythonInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each interpreter's probe answered, kept on disk ({@code $CONLAB_CACHE_DIR}, else {@code $XDG_CACHE_HOME/conlab},
 * else {@code ~/.cache/conlab}: {@code pythons.json}) so that no page or command waits for a probe twice. An answer is
 * reused while the interpreter's file keeps its size and time and the worker's probe is the same; a name that only leads
 * to an interpreter elsewhere (a pyenv shim, whose target can change) is probed every time. The last discovery's list is
 * kept too, for {@link Pythons#known()} before the first discovery of a lab process ends.
 */
final class PythonCache {

    /** One probe's answer and the file it was given for. */
    record Entry(String path, String source, String real, long size, long modified, PythonInfo info) {
    }

    record Saved(String worker, List<Entry> probes, List<Entry> last) {
    }

    private final Path file;
    private final Map<String, Entry> probes = new ConcurrentHashMap<>();
    private final List<Entry> last = new ArrayList<>();

    private PythonCache(Path file) {
        this.file = file;
        if (file == null || !Files.isRegularFile(file)) return;
        try {
            Saved saved = Json.MAPPER.readValue(file.toFile(), new TypeReference<Saved>() { });
            if (!stamp().equals(saved.worker())) return; // another worker's probe: its answers may lack what this one asks
            for (Entry e : saved.probes()) probes.put(e.path(), e);
            last.addAll(saved.last());
        } catch (IOException | RuntimeException e) {
            // an unreadable cache is an empty one
        }
    }

    static PythonCache none() {
        return new PythonCache(null);
    }

    static PythonCache standard() {
        Map<String, String> env = System.getenv();
        String dir = env.get("CONLAB_CACHE_DIR");
        if (dir == null && env.get("XDG_CACHE_HOME") != null) dir = env.get("XDG_CACHE_HOME") + "/conlab";
        if (dir == null) dir = System.getProperty("user.home") + "/.cache/conlab";
        return new PythonCache(Path.of(dir, "pythons.json"));
    }

    /** This cache without its kept answers: every interpreter is probed again (and its answer kept). */
    PythonCache forgetProbes() {
        probes.clear();
        return this;
    }

    /** The interpreter's answer: the kept one if its file is unchanged, else a probe's. */
    Python probe(Path executable, String source) {
        // a pyenv shim is a shell script that takes seconds to start: the interpreter it would run is read from pyenv's files
        Path shimTarget = shimTarget(executable);
        if (shimTarget != null) {
            Python target = probe(shimTarget, source);
            if (target != null) return new Python(executable, target.info(), source);
        }
        String real = real(executable);
        Entry kept = probes.get(executable.toString());
        long[] stat = stat(real);
        if (kept != null && kept.real().equals(real) && stat != null && kept.size() == stat[0] && kept.modified() == stat[1]) {
            return new Python(executable, kept.info(), source);
        }
        Python probed = Pythons.probe(executable, source);
        probes.remove(executable.toString());
        // kept only where the name is the interpreter itself: a shim's interpreter can change without the shim changing
        if (probed != null && stat != null && real.equals(real(Path.of(probed.info().executable())))) {
            probes.put(executable.toString(), new Entry(executable.toString(), source, real, stat[0], stat[1], probed.info()));
        }
        return probed;
    }

    /** The last discovery's interpreters whose files are still there. */
    List<Python> kept() {
        var list = new ArrayList<Python>();
        for (Entry e : last) if (Files.isExecutable(Path.of(e.path()))) list.add(new Python(Path.of(e.path()), e.info(), e.source()));
        return list;
    }

    /** Writes the answers and the discovery's list (atomically: a reader never sees half a file). */
    void save(List<Python> found) {
        if (file == null) return;
        var list = found.stream().map(p -> new Entry(p.executable().toString(), p.source(), real(p.executable()), 0, 0, p.info())).toList();
        try {
            Files.createDirectories(file.getParent());
            Path part = Files.createTempFile(file.getParent(), "pythons", ".part");
            Json.MAPPER.writeValue(part.toFile(), new Saved(stamp(), List.copyOf(probes.values()), list));
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // no cache: the next discovery probes again
        }
    }

    /**
     * The interpreter a pyenv shim ({@code ROOT/shims/python3}) runs, as pyenv chooses it: {@code $PYENV_VERSION}, else the
     * nearest {@code .python-version} from the working folder up, else {@code ROOT/version}; null when that is "system", names
     * several versions, or is not installed (the shim itself is probed then).
     */
    static Path shimTarget(Path executable) {
        Path dir = executable.getParent();
        if (dir == null || dir.getFileName() == null || !dir.getFileName().toString().equals("shims") || dir.getParent() == null) return null;
        Path root = dir.getParent();
        String version = System.getenv("PYENV_VERSION");
        try {
            if (version == null) {
                for (Path d = Path.of("").toAbsolutePath(); d != null && version == null; d = d.getParent()) {
                    Path file = d.resolve(".python-version");
                    if (Files.isRegularFile(file)) version = Files.readString(file).strip();
                }
            }
            if (version == null && Files.isRegularFile(root.resolve("version"))) version = Files.readString(root.resolve("version")).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (version == null || version.isEmpty() || version.equals("system") || version.contains("\n") || version.contains(":")
                || version.contains(" ")) {
            return null;
        }
        Path target = root.resolve("versions").resolve(version).resolve("bin").resolve(executable.getFileName());
        return Files.isExecutable(target) ? target : null;
    }

    private static String real(Path path) {
        try {
            return path.toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return path.toString();
        }
    }

    private static long[] stat(String path) {
        try {
            Path p = Path.of(path);
            return new long[] {Files.size(p), Files.getLastModifiedTime(p).toMillis()};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static volatile String stamp;

    /** A digest of the worker's probe and what it reads: a cache written by another worker is not used. */
    static String stamp() {
        String s = stamp;
        if (s != null) return s;
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name : List.of("conlab_worker/probe.py", "conlab_worker/base.py")) {
                try (InputStream in = PythonCache.class.getResourceAsStream(dev.conlab.bench.PythonCatalog.RESOURCES + name)) {
                    if (in != null) digest.update(in.readAllBytes());
                }
            }
            s = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (Exception e) {
            s = "unknown";
        }
        stamp = s;
        return s;
    }
}
