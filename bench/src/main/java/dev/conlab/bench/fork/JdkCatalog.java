package dev.conlab.bench.fork;

import dev.conlab.bench.InvalidSpecException;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Finds installed JDKs: JAVA_HOME, {@code /usr/lib/jvm/*}, {@code ~/.sdkman/candidates/java/*},
 * {@code ~/.jdks/*}, macOS's JavaVirtualMachines folders, and the paths in {@code CONLAB_JDKS}
 * (separated by the path separator). A JDK is a folder with {@code bin/java} and a {@code release} file.
 */
public final class JdkCatalog {

    private final List<Jdk> jdks;

    private JdkCatalog(List<Jdk> jdks) {
        this.jdks = jdks;
    }

    /** The JDKs another machine reported (an agent's), sorted as discovered ones are. */
    public static JdkCatalog of(List<Jdk> jdks) {
        var list = new ArrayList<>(jdks);
        list.sort(Comparator.comparingInt(Jdk::feature).thenComparing(Jdk::version, JdkCatalog::compareVersions));
        return new JdkCatalog(List.copyOf(list));
    }

    public static JdkCatalog discover() {
        return discover(System.getenv());
    }

    static JdkCatalog discover(Map<String, String> env) {
        Map<Path, Jdk> found = new LinkedHashMap<>();
        String extra = env.get("CONLAB_JDKS");
        if (extra != null) {
            for (String p : extra.split(File.pathSeparator)) if (!p.isBlank()) add(found, Path.of(p.trim()), "CONLAB_JDKS");
        }
        if (env.get("JAVA_HOME") != null) add(found, Path.of(env.get("JAVA_HOME")), "JAVA_HOME");
        String home = System.getProperty("user.home");
        children(found, Path.of("/usr/lib/jvm"), "/usr/lib/jvm", "");
        children(found, Path.of(home, ".sdkman", "candidates", "java"), "sdkman", "");
        children(found, Path.of(home, ".jdks"), "~/.jdks", "");
        children(found, Path.of("/Library/Java/JavaVirtualMachines"), "JavaVirtualMachines", "Contents/Home");
        children(found, Path.of(home, "Library", "Java", "JavaVirtualMachines"), "JavaVirtualMachines", "Contents/Home");
        add(found, Path.of(System.getProperty("java.home")), "running JVM");
        var list = new ArrayList<>(found.values());
        list.sort(Comparator.comparingInt(Jdk::feature).thenComparing(Jdk::version, JdkCatalog::compareVersions));
        return new JdkCatalog(List.copyOf(list));
    }

    public List<Jdk> all() {
        return jdks;
    }

    /** The newest JDK of each feature version, oldest feature first. */
    public List<Jdk> newestPerFeature() {
        Map<Integer, Jdk> newest = new LinkedHashMap<>();
        for (Jdk jdk : jdks) newest.put(jdk.feature(), jdk); // sorted ascending: the last one wins
        return List.copyOf(newest.values());
    }

    /**
     * Resolves {@code all}, a feature version ({@code 17}) or a path to JDKs, in the order given.
     *
     * @throws InvalidSpecException naming the JDKs that are installed
     */
    public List<Jdk> select(List<String> selectors) {
        if (selectors.isEmpty()) selectors = List.of(String.valueOf(Runtime.version().feature()));
        var chosen = new ArrayList<Jdk>();
        for (String selector : selectors) {
            for (Jdk jdk : selectOne(selector.trim())) if (!chosen.contains(jdk)) chosen.add(jdk);
        }
        return chosen;
    }

    private List<Jdk> selectOne(String selector) {
        if (selector.equals("all")) {
            if (jdks.isEmpty()) throw new InvalidSpecException("no JDK found; set JAVA_HOME or CONLAB_JDKS");
            return newestPerFeature();
        }
        if (selector.matches("\\d+")) {
            int feature = Integer.parseInt(selector);
            return newestPerFeature().stream().filter(j -> j.feature() == feature).findFirst().map(List::of)
                    .orElseThrow(() -> new InvalidSpecException("no JDK " + feature + " found; installed: " + describe()
                            + " (add one with CONLAB_JDKS or give its path)"));
        }
        for (Jdk known : jdks) if (known.home().toString().equals(selector)) return List.of(known);
        Path path = Path.of(selector);
        Jdk jdk = read(path, "given path");
        if (jdk == null) {
            throw new InvalidSpecException("'" + selector + "' is not a JDK (no bin/java and release file there); "
                    + "use all, a feature version, or a JDK's folder; installed: " + describe());
        }
        return List.of(jdk);
    }

    public String describe() {
        if (jdks.isEmpty()) return "none";
        return String.join(", ", newestPerFeature().stream().map(j -> j.feature() + " (" + j.home() + ")").toList());
    }

    private static void children(Map<Path, Jdk> found, Path folder, String source, String suffix) {
        if (!Files.isDirectory(folder)) return;
        try (Stream<Path> entries = Files.list(folder)) {
            entries.sorted().forEach(p -> add(found, suffix.isEmpty() ? p : p.resolve(suffix), source));
        } catch (IOException e) {
            // unreadable folder: nothing from it
        }
    }

    private static void add(Map<Path, Jdk> found, Path home, String source) {
        Jdk jdk = read(home, source);
        if (jdk != null) found.putIfAbsent(jdk.home(), jdk);
    }

    /** Reads a JDK's release file; null if the folder is not a JDK. */
    static Jdk read(Path home, String source) {
        try {
            Path real = home.toRealPath();
            Path release = real.resolve("release");
            Jdk probe = new Jdk(real, 0, "", null, source);
            if (!Files.isRegularFile(release) || !Files.isExecutable(probe.java())) return null;
            Properties props = new Properties();
            try (var in = Files.newBufferedReader(release)) {
                props.load(in);
            }
            String version = unquote(props.getProperty("JAVA_VERSION"));
            if (version == null) return null;
            String vendor = unquote(props.getProperty("IMPLEMENTOR"));
            return new Jdk(real, feature(version), version, vendor, source);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static int feature(String version) {
        String v = version.startsWith("1.") ? version.substring(2) : version;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
        return Integer.parseInt(v.substring(0, end));
    }

    private static String unquote(String value) {
        if (value == null) return null;
        value = value.trim();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("[^0-9]+");
        String[] y = b.split("[^0-9]+");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i].isEmpty() || y[i].isEmpty()) continue;
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }
}
