package dev.conlab.server.queue;

import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.bench.fork.Python;
import dev.conlab.bench.fork.Pythons;

import java.nio.file.Path;
import java.util.List;

/**
 * The JDKs and Python interpreters an agent found on its machine, as it registers them: what runs queued for that
 * machine may be measured on. Paths are the agent machine's.
 */
public record AgentRuntimes(List<JdkFact> jdks, List<PythonFact> pythons) {

    /** A JDK as an agent reports it. */
    public record JdkFact(String home, int feature, String version, String vendor, String source) {
    }

    /** A Python interpreter as an agent reports it. */
    public record PythonFact(String executable, String source, PythonInfo info) {
    }

    public AgentRuntimes {
        jdks = jdks == null ? List.of() : List.copyOf(jdks);
        pythons = pythons == null ? List.of() : List.copyOf(pythons);
    }

    /** As stored for an agent; an unreadable text (written by another version) is no runtimes rather than an error. */
    public static AgentRuntimes parse(String json) {
        try {
            return dev.conlab.bench.Json.MAPPER.readValue(json, AgentRuntimes.class);
        } catch (java.io.IOException e) {
            return new AgentRuntimes(List.of(), List.of());
        }
    }

    /** What this machine has (the agent's side). */
    public static AgentRuntimes of(JdkCatalog jdks, Pythons pythons) {
        return new AgentRuntimes(jdks.all().stream().map(j -> new JdkFact(j.home().toString(), j.feature(), j.version(), j.vendor(), j.source())).toList(),
                pythons.all().stream().map(p -> new PythonFact(p.executable().toString(), p.source(), p.info())).toList());
    }

    JdkCatalog jdkCatalog() {
        return JdkCatalog.of(jdks.stream().map(j -> new Jdk(Path.of(j.home()), j.feature(), j.version(), j.vendor(), j.source())).toList());
    }

    Pythons pythonCatalog() {
        return Pythons.of(pythons.stream().map(p -> new Python(Path.of(p.executable()), p.info(), p.source())).toList());
    }

    /** "17, 25; CPython 3.11.2" for a page. */
    public String describe() {
        var parts = new java.util.ArrayList<String>();
        if (!jdks.isEmpty()) parts.add("JDK " + String.join(", ", jdks.stream().map(j -> String.valueOf(j.feature())).distinct().toList()));
        for (PythonFact p : pythons) if (p.info() != null) parts.add(p.info().label());
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }
}
