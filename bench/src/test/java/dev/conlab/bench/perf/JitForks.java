package dev.conlab.bench.perf;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.ForkRecord;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunPlanner;
import dev.conlab.bench.RunRequest;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.Sample;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What makes one fork of a parallel CPU cell slower than another (issue #25's attribution): F forks of one cell, each
 * worker run with {@code -Xlog:jit+compilation=debug} into a file of its own (not stdout: the JVM's own writes there would
 * break the worker's line protocol); per fork its mean time, the machine's capacity beside it, and the JIT's
 * compilations of the methods that match a filter (their tier, whether on-stack replacement, when in the fork's log), so
 * that slow forks' compilations can be set beside fast ones'. Writes the document and the compile logs under OUT.
 * Usage: JitForks JDK_FEATURE WORKLOAD MODEL FORKS METHOD_FILTER OUT   (bench/perf/jit.sh runs it)
 */
public final class JitForks {

    public static void main(String[] args) throws Exception {
        int feature = Integer.parseInt(args[0]);
        String workload = args[1];
        String model = args[2];
        int forks = Integer.parseInt(args[3]);
        String filter = args[4];
        Path out = Path.of(args[5]);
        Files.createDirectories(out);
        Jdk jdk = JdkCatalog.discover().select(List.of(String.valueOf(feature))).get(0);
        RunSpec plan = RunPlanner.plan(RunRequest.suite("default").withWorkloads(List.of(workload)).withModels(List.of(model))
                .withForks(forks));
        // the cell alone: T₁ is not wanted here, so the plan's one cell runs with a baseline of its own model
        CellSpec cell = plan.cells().get(0);
        var listener = new ForkRunner.Listener() { };
        var runner = new ForkRunner(ForkRunner.benchClasspath(),
                List.of("-Xlog:jit+compilation=debug:file=" + out.toAbsolutePath().resolve("jit-%p.log") + ":uptime"));
        RunDocument doc = runner.run(jdk, plan.withCells(List.of(cell)), listener);
        Files.writeString(out.resolve("jit.json"), Json.PRETTY.writeValueAsString(doc));
        CellResult result = doc.results().get(0);
        System.out.printf(Locale.ROOT, "%s × %s on JDK %d, %d forks; compilations of methods matching '%s'%n", workload, model, feature,
                result.forks().size(), filter);
        for (ForkRecord f : result.forks()) {
            double mean = result.samples().stream().filter(s -> s.fork() != null && s.fork() == f.fork()).mapToDouble(Sample::wallNanos)
                    .average().orElse(Double.NaN) / 1e6;
            Path file = out.resolve("jit-" + f.pid() + ".log");
            List<String> log = Files.exists(file) ? Files.readAllLines(file) : List.of();
            var compiled = log.stream().filter(l -> l.contains(filter)).map(String::strip).toList();
            double capacity = f.machine() == null || f.machine().capacityShare() == null ? Double.NaN : f.machine().capacityShare();
            System.out.printf(Locale.ROOT, "fork %2d  %8.1f ms  capacity %.2f  %s  %d compilations in all, %d of the filter%n", f.fork(), mean,
                    capacity, f.clean() ? "clean    " : "disturbed", log.size(), compiled.size());
            for (String c : compiled) System.out.println("         " + c);
        }
        System.out.println("logs and document in " + out);
    }
}
