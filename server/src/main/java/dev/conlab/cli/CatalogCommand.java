package dev.conlab.cli;

import dev.conlab.bench.Catalog;
import dev.conlab.bench.Model;
import dev.conlab.bench.Param;
import dev.conlab.bench.Vocabulary;
import dev.conlab.bench.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "List every model and workload with its parameters (smoke / default / seed values), the JVM's and the Python worker's.")
final class CatalogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--markdown", description = "Print Markdown tables (docs/CATALOG.md is this output).")
    boolean markdown;

    @picocli.CommandLine.Mixin
    TaskJarOptions taskJars;

    @Override
    public Integer call() {
        taskJars.install();
        var out = spec.commandLine().getOut();
        out.print(markdown ? markdown() : text());
        out.flush();
        return 0;
    }

    static String markdown() {
        var out = new StringBuilder();
        out.append("### Models\n\n| id | what it is | parameters |\n| --- | --- | --- |\n");
        for (Model m : Catalog.MODELS) {
            out.append("| `").append(m.id()).append("` | ").append(escape(m.summary())).append(" | ")
                    .append(paramsCell(m.params(), false)).append(" |\n");
        }
        out.append("\n### Workloads\n\n| id | what it does | parameters: smoke / default / seed |\n| --- | --- | --- |\n");
        for (Workload w : Catalog.WORKLOADS) {
            out.append("| `").append(w.id()).append("` | ").append(escape(w.summary())).append(" | ")
                    .append(paramsCell(w.params(), true)).append(" |\n");
        }
        Vocabulary python = Vocabulary.python();
        out.append("\n### Python models (`--python`)\n\n| id | what it is | parameters |\n| --- | --- | --- |\n");
        for (Vocabulary.Entry m : python.models()) {
            out.append("| `").append(m.id()).append("` | ").append(escape(m.summary())).append(" | ")
                    .append(paramsCell(m.params(), false)).append(" |\n");
        }
        out.append("\n### Python workloads\n\n| id | what it does | parameters: smoke / default / seed |\n| --- | --- | --- |\n");
        for (Vocabulary.Entry w : python.workloads()) {
            out.append("| `").append(w.id()).append("` | ").append(escape(w.summary())).append(" | ")
                    .append(paramsCell(w.params(), true)).append(" |\n");
        }
        return out.toString();
    }

    private static String paramsCell(List<Param> params, boolean bySuite) {
        if (params.isEmpty()) return "—";
        var parts = new java.util.ArrayList<String>();
        for (Param p : params) {
            String values = p.kind() == Param.Kind.CHOICE
                    ? p.dflt() + " (" + String.join(" \\| ", p.choices()) + ")"
                    : bySuite ? p.smoke() + " / " + p.dflt() + " / " + p.seed() : p.dflt();
            parts.add("`" + p.name() + "` " + values + ": " + escape(p.summary()));
        }
        return String.join("<br>", parts);
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }

    private static String text() {
        var out = new StringBuilder("MODELS\n");
        for (Model m : Catalog.MODELS) {
            out.append(String.format("  %-20s %s%n", m.id(), m.summary()));
            for (Param p : m.params()) out.append(String.format("  %-20s   -p %s.%s=%s  %s%n", "", m.id(), p.name(), p.dflt(), p.summary()));
        }
        out.append("\nWORKLOADS (parameter values: smoke / default / seed)\n");
        for (Workload w : Catalog.WORKLOADS) {
            out.append(String.format("  %-20s %s%n", w.id(), w.summary()));
            for (Param p : w.params()) {
                String values = p.kind() == Param.Kind.CHOICE ? p.dflt() + " of " + p.choices() : p.smoke() + " / " + p.dflt() + " / " + p.seed();
                out.append(String.format("  %-20s   -p %s.%s  %s  (%s)%n", "", w.id(), p.name(), values, p.summary()));
            }
        }
        Vocabulary python = Vocabulary.python();
        out.append("\nPYTHON MODELS (conlab run --python …)\n");
        for (Vocabulary.Entry m : python.models()) {
            out.append(String.format("  %-20s %s%n", m.id(), m.summary()));
            for (Param p : m.params()) out.append(String.format("  %-20s   -p %s.%s=%s  %s%n", "", m.id(), p.name(), p.dflt(), p.summary()));
        }
        out.append("\nPYTHON WORKLOADS (parameter values: smoke / default / seed)\n");
        for (Vocabulary.Entry w : python.workloads()) {
            out.append(String.format("  %-20s %s%n", w.id(), w.summary()));
            for (Param p : w.params()) {
                out.append(String.format("  %-20s   -p %s.%s  %s  (%s)%n", "", w.id(), p.name(), p.smoke() + " / " + p.dflt() + " / " + p.seed(),
                        p.summary()));
            }
        }
        return out.toString();
    }
}
