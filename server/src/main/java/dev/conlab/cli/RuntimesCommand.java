package dev.conlab.cli;

import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.bench.fork.Python;
import dev.conlab.bench.fork.Pythons;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "runtimes", mixinStandardHelpOptions = true,
        description = {"List what conlab can measure on: the JDKs (as `conlab jdks`) and the Python interpreters it finds —",
                "python3, python3.N, free-threaded python3.Nt, pypy3 and pypy3.N on the PATH and in /usr/bin, /usr/local/bin,",
                "/opt/homebrew/bin; pyenv's versions, uv's and conda's installs; and the paths in CONLAB_PYTHONS (separated by",
                "'${sys:path.separator}') — each with its version, implementation, whether the GIL is on, which of numpy, uvloop,",
                "gevent and Pillow (PIL) it can import, and where it comes from. Each interpreter's answer is kept",
                "(~/.cache/conlab/pythons.json) until its file changes; --refresh asks every one again.",
                "Use them with `conlab run --jdk …` and `conlab run --python …`."})
final class RuntimesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--refresh", description = "Probe every interpreter again (after installing a module into one).")
    boolean refresh;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JdkCatalog jdks = JdkCatalog.discover();
        out.println("JDKs");
        if (jdks.all().isEmpty()) {
            out.println("  none found; set JAVA_HOME or CONLAB_JDKS");
        } else {
            out.printf("  %-8s %-22s %-20s %s%n", "FEATURE", "VERSION", "VENDOR", "HOME");
            for (Jdk jdk : jdks.all()) {
                out.printf("  %-8d %-22s %-20s %s%n", jdk.feature(), jdk.version(), jdk.vendor() == null ? "?" : jdk.vendor(), jdk.home());
            }
        }
        out.println();
        Pythons pythons = refresh ? Pythons.rediscover() : Pythons.discover();
        out.println("Python interpreters");
        if (pythons.all().isEmpty()) {
            out.println("  none found; put python3 on the PATH or list interpreters in CONLAB_PYTHONS");
        } else {
            out.printf("  %-10s %-10s %-4s %-30s %-10s %-16s %s%n", "VERSION", "IMPL", "GIL", "MODULES", "ORIGIN", "FOUND IN", "PATH");
            for (Python p : pythons.all()) {
                PythonInfo info = p.info();
                out.printf("  %-10s %-10s %-4s %-30s %-10s %-16s %s%s%n", info.version(), info.implementation(), info.gil() ? "on" : "off",
                        modules(info.modules()), p.origin(), p.source(), p.executable(),
                        p.executable().toString().equals(info.executable()) ? "" : " (" + info.executable() + ")");
            }
        }
        out.println();
        out.println("--jdk all runs on: " + jdks.describe());
        out.println("--python all runs on: " + pythons.describe());
        return 0;
    }

    /** "numpy uvloop -gevent": what imports, and (with a minus) what does not. */
    private static String modules(Map<String, Boolean> modules) {
        if (modules == null || modules.isEmpty()) return "-";
        var parts = new StringBuilder();
        new TreeMap<>(modules).forEach((name, ok) -> parts.append(parts.length() == 0 ? "" : " ").append(ok ? name : "-" + name));
        return parts.toString();
    }
}
