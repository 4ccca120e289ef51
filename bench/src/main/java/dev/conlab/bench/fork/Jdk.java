package dev.conlab.bench.fork;

import java.nio.file.Path;

/**
 * An installed JDK (or JRE) the lab can fork workers on.
 *
 * @param home    its root (the folder with bin/java)
 * @param feature feature version, e.g. 25
 * @param version full version, e.g. 25.0.3
 * @param vendor  implementor from the release file, null if unknown
 * @param source  where it was found (JAVA_HOME, /usr/lib/jvm, CONLAB_JDKS, a path given, …)
 */
public record Jdk(Path home, int feature, String version, String vendor, String source) implements Target {

    @Override
    public String runtime() {
        return dev.conlab.bench.Vocabulary.JVM;
    }

    @Override
    public String label() {
        return "JDK " + feature;
    }

    public Path java() {
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        return home.resolve("bin").resolve(windows ? "java.exe" : "java");
    }
}
