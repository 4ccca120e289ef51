package dev.conlab.bench.fork;

import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.Json;
import dev.conlab.bench.PythonInfo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds Python interpreters as {@link JdkCatalog} finds JDKs: the paths in {@code CONLAB_PYTHONS} (separated by the path
 * separator), then {@code python3}, {@code python3.N} and free-threaded {@code python3.Nt} on the PATH and in
 * {@code /usr/bin}, {@code /usr/local/bin}, {@code /opt/homebrew/bin}. Each candidate is asked by the worker's own probe
 * what it is; two names of one interpreter (a symlink, a pyenv shim) count once, under the first name found.
 */
public final class Pythons {

    private static final Pattern NAME = Pattern.compile("python3(\\.\\d+t?)?");
    private static final long PROBE_SECONDS = 20;

    private final List<Python> pythons;

    private Pythons(List<Python> pythons) {
        this.pythons = pythons;
    }

    private static volatile Pythons discovered;

    /** The interpreters another machine reported (an agent's). */
    public static Pythons of(List<Python> pythons) {
        return new Pythons(List.copyOf(pythons));
    }

    /** This machine's interpreters (probed once per lab process). */
    public static Pythons discover() {
        Pythons p = discovered;
        if (p == null) {
            p = discover(System.getenv());
            discovered = p;
        }
        return p;
    }

    static Pythons discover(Map<String, String> env) {
        var candidates = new ArrayList<Candidate>();
        String extra = env.get("CONLAB_PYTHONS");
        if (extra != null) {
            for (String s : extra.split(File.pathSeparator)) if (!s.isBlank()) candidates.add(new Candidate(Path.of(s.trim()), "CONLAB_PYTHONS"));
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) if (!dir.isBlank()) named(candidates, Path.of(dir), "PATH");
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/opt/homebrew/bin")) named(candidates, Path.of(dir), dir);
        Map<String, Python> found = new LinkedHashMap<>(); // by the interpreter's own sys.executable, resolved
        // probed all at once (a pyenv shim alone takes half a second to say it has no such version), kept in the order found
        var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, Math.min(8, candidates.size())), r -> {
            Thread t = new Thread(r, "conlab-python-probe");
            t.setDaemon(true);
            return t;
        });
        List<java.util.concurrent.Future<Python>> probes = new ArrayList<>();
        try {
            for (Candidate c : candidates) probes.add(pool.submit(() -> probe(c.path(), c.source())));
        } finally {
            pool.shutdown();
        }
        for (var future : probes) {
            Python python;
            try {
                python = future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                python = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (python == null) continue;
            String key = realPath(python.info().executable()) + " " + python.info().version();
            found.putIfAbsent(key, python);
        }
        return new Pythons(List.copyOf(found.values()));
    }

    private record Candidate(Path path, String source) {
    }

    private static void named(List<Candidate> candidates, Path dir, String source) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isExecutable(p)).sorted()
                    .forEach(p -> candidates.add(new Candidate(p, source)));
        } catch (IOException e) {
            // unreadable folder: nothing from it
        }
    }

    private static String realPath(String path) {
        try {
            return Path.of(path).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return path;
        }
    }

    /** Runs the worker's probe on an interpreter; null if it is not a Python 3 this worker can run on. */
    static Python probe(Path executable, String source) {
        try {
            Process p = new ProcessBuilder(executable.toString(), PythonWorker.script().toString(), "--probe")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) return null;
            String json = new String(out, StandardCharsets.UTF_8).trim();
            PythonInfo info = Json.MAPPER.readValue(json.substring(json.lastIndexOf('\n') + 1), PythonInfo.class);
            return new Python(executable, info, source);
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public List<Python> all() {
        return pythons;
    }

    /**
     * Resolves {@code all}, a name ({@code python3}, {@code python3.13t}), a version ({@code 3.11}) or a path to
     * interpreters, in the order given.
     *
     * @throws InvalidSpecException naming the interpreters that are installed
     */
    public List<Python> select(List<String> selectors) {
        var chosen = new ArrayList<Python>();
        for (String selector : selectors) {
            for (Python p : selectOne(selector.trim())) if (!chosen.contains(p)) chosen.add(p);
        }
        return chosen;
    }

    private List<Python> selectOne(String selector) {
        if (selector.equals("all")) {
            if (pythons.isEmpty()) throw new InvalidSpecException("no Python interpreter found; put python3 on the PATH or list interpreters in CONLAB_PYTHONS");
            return pythons;
        }
        if (selector.matches("\\d+\\.\\d+t?")) {
            boolean freeThreaded = selector.endsWith("t");
            String feature = freeThreaded ? selector.substring(0, selector.length() - 1) : selector;
            return pythons.stream().filter(p -> p.feature().equals(feature) && p.info().freeThreadedBuild() == freeThreaded).findFirst()
                    .map(List::of).orElseThrow(() -> new InvalidSpecException("no Python " + selector + " found; installed: " + describe()
                            + " (add one with CONLAB_PYTHONS or give its path)"));
        }
        if (!selector.contains("/") && !selector.contains(File.separator)) {
            return pythons.stream().filter(p -> p.executable().getFileName().toString().equals(selector)).findFirst()
                    .or(() -> pythons.stream().filter(p -> Path.of(p.info().executable()).getFileName().toString().equals(selector)).findFirst())
                    .map(List::of).orElseThrow(() -> new InvalidSpecException("no Python interpreter named '" + selector
                            + "' found; installed: " + describe() + " (give a path, a version such as 3.11, or all)"));
        }
        Path path = Path.of(selector);
        for (Python p : pythons) if (p.executable().equals(path) || p.info().executable().equals(selector)) return List.of(p);
        Python probed = Files.isExecutable(path) ? probe(path, "given path") : null;
        if (probed == null) {
            throw new InvalidSpecException("'" + selector + "' is not a Python 3 interpreter the worker can run on; "
                    + "use python3, a version such as 3.11, all, or an interpreter's path; installed: " + describe());
        }
        return List.of(probed);
    }

    public String describe() {
        if (pythons.isEmpty()) return "none";
        return String.join(", ", pythons.stream().map(p -> p.label() + " (" + p.executable() + ")").toList());
    }
}
