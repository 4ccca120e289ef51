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
 * separator), then {@code python3}, {@code python3.N}, free-threaded {@code python3.Nt}, {@code pypy3} and {@code pypy3.N}
 * on the PATH and in {@code /usr/bin}, {@code /usr/local/bin}, {@code /opt/homebrew/bin}, then the installs of pyenv
 * ({@code $PYENV_ROOT} or {@code ~/.pyenv}), uv ({@code ~/.local/share/uv/python}) and conda (its base and environments
 * under {@code ~/miniconda3}, {@code ~/anaconda3}, {@code ~/miniforge3}, {@code /opt/conda}). Each candidate is asked by
 * the worker's own probe what it is, once: the answers are kept in {@link PythonCache} until the interpreter's file
 * changes; two names of one interpreter (a symlink, a pyenv shim) count once, under the first name found.
 * {@link #known()} answers at once with what is known (for pages); {@link #discover()} waits for a discovery.
 */
public final class Pythons {

    private static final Pattern NAME = Pattern.compile("(python3(\\.\\d+t?)?|pypy3(\\.\\d+)?)");
    private static final long PROBE_SECONDS = 20;

    private final List<Python> pythons;

    private Pythons(List<Python> pythons) {
        this.pythons = pythons;
    }

    private static volatile Pythons discovered;
    private static volatile java.util.concurrent.CompletableFuture<Pythons> discovering;

    /** The interpreters another machine reported (an agent's). */
    public static Pythons of(List<Python> pythons) {
        return new Pythons(List.copyOf(pythons));
    }

    /** This machine's interpreters, discovered once per lab process (and reusing the probes {@link PythonCache} kept). */
    public static Pythons discover() {
        Pythons p = discovered;
        if (p != null) return p;
        try {
            return refreshInBackground().join();
        } catch (java.util.concurrent.CompletionException e) {
            return discover(System.getenv(), PythonCache.standard());
        }
    }

    /** This machine's interpreters, every one probed again (its answers replace the cache's). */
    public static Pythons rediscover() {
        Pythons p = discover(System.getenv(), PythonCache.standard().forgetProbes());
        discovered = p;
        return p;
    }

    /** What is known now, without waiting: the last discovery, else what the cache kept, else none (while one runs). */
    public static Pythons known() {
        Pythons p = discovered;
        if (p != null) return p;
        if (discovering == null) refreshInBackground();
        return new Pythons(PythonCache.standard().kept());
    }

    /** Starts a discovery in the background (one at a time); {@link #known()} and {@link #discover()} see its answer. */
    public static synchronized java.util.concurrent.CompletableFuture<Pythons> refreshInBackground() {
        var running = discovering;
        if (running != null && !running.isDone()) return running;
        var next = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            Pythons p = discover(System.getenv(), PythonCache.standard());
            discovered = p;
            return p;
        }, r -> {
            Thread t = new Thread(r, "conlab-python-discovery");
            t.setDaemon(true);
            t.start();
        });
        discovering = next;
        return next;
    }

    static Pythons discover(Map<String, String> env) {
        return discover(env, PythonCache.none());
    }

    static Pythons discover(Map<String, String> env, PythonCache cache) {
        var candidates = new ArrayList<Candidate>();
        String extra = env.get("CONLAB_PYTHONS");
        if (extra != null) {
            for (String s : extra.split(File.pathSeparator)) if (!s.isBlank()) candidates.add(new Candidate(Path.of(s.trim()), "CONLAB_PYTHONS"));
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) if (!dir.isBlank()) named(candidates, Path.of(dir), "PATH");
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/opt/homebrew/bin")) named(candidates, Path.of(dir), dir);
        installs(candidates, env);
        Map<String, Python> found = new LinkedHashMap<>(); // by the interpreter's own sys.executable, resolved
        // probed all at once (a pyenv shim alone takes half a second to say it has no such version), kept in the order found
        var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, Math.min(8, candidates.size())), r -> {
            Thread t = new Thread(r, "conlab-python-probe");
            t.setDaemon(true);
            return t;
        });
        List<java.util.concurrent.Future<Python>> probes = new ArrayList<>();
        try {
            for (Candidate c : candidates) probes.add(pool.submit(() -> cache.probe(c.path(), c.source())));
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
        var list = List.copyOf(found.values());
        cache.save(list);
        return new Pythons(list);
    }

    /** The interpreters pyenv, uv and conda installed, each under its own name (pyenv's 3.12.4 is "pyenv"). */
    private static void installs(List<Candidate> candidates, Map<String, String> env) {
        String home = env.get("HOME");
        String pyenv = env.getOrDefault("PYENV_ROOT", home == null ? null : home + "/.pyenv");
        if (pyenv != null) versions(candidates, Path.of(pyenv, "versions"), "pyenv");
        if (home != null) versions(candidates, Path.of(home, ".local/share/uv/python"), "uv");
        var condas = new ArrayList<Path>();
        if (home != null) for (String d : List.of("miniconda3", "anaconda3", "miniforge3")) condas.add(Path.of(home, d));
        condas.add(Path.of("/opt/conda"));
        for (Path conda : condas) {
            if (!Files.isDirectory(conda)) continue;
            named(candidates, conda.resolve("bin"), "conda");
            versions(candidates, conda.resolve("envs"), "conda");
        }
    }

    /** Each folder's bin/python3 and bin/pypy3 (and their python3.N), the folders in version order. */
    private static void versions(List<Candidate> candidates, Path root, String source) {
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(Files::isDirectory).sorted(Pythons::byVersion).forEach(dir -> {
                var before = candidates.size();
                for (String name : List.of("python3", "pypy3")) {
                    Path exe = dir.resolve("bin").resolve(name);
                    if (Files.isExecutable(exe)) candidates.add(new Candidate(exe, source));
                }
                if (candidates.size() == before) named(candidates, dir.resolve("bin"), source);
            });
        } catch (IOException e) {
            // unreadable folder: nothing from it
        }
    }

    private record Candidate(Path path, String source) {
    }

    /** "3.9.18" before "3.10.13": folders named by versions, in version order (others by name, after them). */
    private static int byVersion(Path a, Path b) {
        String x = a.getFileName().toString();
        String y = b.getFileName().toString();
        String[] px = x.split("\\.");
        String[] py = y.split("\\.");
        for (int i = 0; i < Math.min(px.length, py.length); i++) {
            boolean nx = px[i].matches("\\d{1,9}");
            boolean ny = py[i].matches("\\d{1,9}");
            if (nx && ny) {
                int c = Integer.compare(Integer.parseInt(px[i]), Integer.parseInt(py[i]));
                if (c != 0) return c;
            } else if (nx != ny) {
                return nx ? -1 : 1;
            } else {
                int c = px[i].compareTo(py[i]);
                if (c != 0) return c;
            }
        }
        return Integer.compare(px.length, py.length);
    }

    private static void named(List<Candidate> candidates, Path dir, String source) {
        if (!Files.isDirectory(dir)) return;
        // pyenv's shims: python3 is the user's interpreter, but python3.N is a duplicate of the installed version (or fails
        // for every version not selected, after half a second of shell): those come from pyenv's own folder instead
        boolean shims = dir.getFileName() != null && dir.getFileName().toString().equals("shims");
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isExecutable(p))
                    .filter(p -> !shims || p.getFileName().toString().equals("python3") || p.getFileName().toString().equals("pypy3")).sorted()
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
    public static Python probe(Path executable, String source) {
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
