package dev.conlab.cli;

import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "jdks", mixinStandardHelpOptions = true,
        description = {"List the JDKs conlab finds: JAVA_HOME, /usr/lib/jvm/*, ~/.sdkman/candidates/java/*, ~/.jdks/*,",
                "macOS's JavaVirtualMachines folders, and the paths in CONLAB_JDKS (separated by '${sys:path.separator}')."})
final class JdksCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JdkCatalog catalog = JdkCatalog.discover();
        if (catalog.all().isEmpty()) {
            out.println("No JDK found. Set JAVA_HOME or CONLAB_JDKS.");
            return 1;
        }
        out.printf("%-8s %-22s %-20s %-16s %s%n", "FEATURE", "VERSION", "VENDOR", "FOUND IN", "HOME");
        for (Jdk jdk : catalog.all()) {
            out.printf("%-8d %-22s %-20s %-16s %s%n", jdk.feature(), jdk.version(),
                    jdk.vendor() == null ? "?" : jdk.vendor(), jdk.source(), jdk.home());
        }
        out.println();
        out.println("--jdk all runs on: " + catalog.describe());
        return 0;
    }
}
