package dev.conlab.cli;

import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunPlanner;
import dev.conlab.bench.RunRequest;
import dev.conlab.bench.TaskJars;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.Sitting;
import dev.conlab.bench.Suite;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.bench.fork.Python;
import dev.conlab.bench.fork.Pythons;
import dev.conlab.bench.fork.Target;
import dev.conlab.bench.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure models × workloads in forked workers, one run per chosen JDK or Python interpreter, and print a summary.",
                "Examples:",
                "  conlab run --suite seed --workloads sleep-io --jdk 25",
                "  conlab run --suite smoke --jdk all --out smoke.json",
                "  conlab run --workloads cpu-sum --models sequential,fork-join -p cpu-sum.count=10000000",
                "  conlab run --workloads sleep-io --models threads,virtual-threads -p sleep-io.tasks=10,1000,100000 -p sleep-io.latencyMs=1000",
                "  conlab run --suite scaling --workloads sleep-io,cpu-sum --jdk 25",
                "  conlab run --suite seed --workloads sleep-io,cpu-sum --python /usr/bin/python3",
                "  conlab run --suite seed --workloads cpu-sum --jdk 25 --python python3   (both runtimes, one run each)",
                "  conlab run --jdk 17 --jdk 25 --interleave --workloads cpu-sum --models sequential,fork-join   (paired, round by round)",
                "  conlab run --workloads dot-product --models parallel-stream --target-ci 3 --max-forks 12",
                "  conlab run --task-jar my-tasks.jar --jdk 25   (your own tasks, every JVM model)",
                "  conlab run --python-task shop:fetch --python-path src --python /usr/bin/python3   (a Python function of yours)"})
final class RunCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    MachineNameOption machineName;

    @Spec
    CommandSpec spec;

    @Option(names = "--suite", paramLabel = "SUITE", completionCandidates = Candidates.Suites.class,
            description = "${COMPLETION-CANDIDATES}: CI-fast, ~0.5-2 s per sequential iteration, the source articles' sizes, "
                    + "or each workload swept over its regime (tasks 1 to 100,000; workers 1 to 4 × P) with curves and crossovers. "
                    + "Default: ${DEFAULT-VALUE}.")
    String suite = Suite.DEFAULT.id();

    @Option(names = "--jdk", split = ",", paramLabel = "JDK",
            description = "all, a feature version (17, 25) or a JDK's folder; repeatable. Default: the JDK running conlab. See `conlab jdks`.")
    List<String> jdks = new ArrayList<>();

    @Option(names = "--python", split = ",", paramLabel = "PYTHON",
            description = "all, a name on the PATH (python3, python3.13t), a version (3.11) or an interpreter's path; repeatable. "
                    + "Measures the Python worker's models (serial, threading, thread-pool, process-pool, multiprocessing-pool, asyncio, "
                    + "uvloop, gevent) instead of the JVM's; with --jdk too, both. See `conlab runtimes`.")
    List<String> pythons = new ArrayList<>();

    @Option(names = "--workloads", split = ",", paramLabel = "ID", description = "Workloads to run (default: all). See `conlab catalog`.")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--models", split = ",", paramLabel = "ID", description = "Models to run (default: all).")
    List<String> models = new ArrayList<>();

    @Option(names = {"-p", "--param"}, paramLabel = "OWNER.NAME=VALUE",
            description = "Override a workload or model parameter, e.g. -p sleep-io.tasks=100 -p fixed-pool.threads=4. "
                    + "A list (-p sleep-io.tasks=10,100,1000) or a geometric range (-p fixed-pool.threads=1..64x2) sweeps it: "
                    + "one cell per point, at most 25 points, and the summary draws each model's curve.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--warmups", paramLabel = "N", description = "Warm-up iterations per cell and fork (default: 1 smoke, 2 default, 1 seed, 1 scaling).")
    Integer warmups;

    @Option(names = "--iterations", paramLabel = "N", description = "Measured iterations per cell and fork (default: 3 smoke, 3 default, 5 seed, 3 scaling).")
    Integer iterations;

    @Option(names = "--forks", paramLabel = "N",
            description = "Fresh worker JVMs per cell (per group of the fork mode); with 2 or more, each cell's interval is built "
                    + "from the forks' means. Default: the suite's (1 smoke, 3 default, 1 seed, 1 scaling).")
    Integer forks;

    @Option(names = "--fork-mode", paramLabel = "MODE", completionCandidates = Candidates.ForkModes.class,
            description = "${COMPLETION-CANDIDATES}: a fresh worker JVM per cell (the default, JMH's rule), per workload, or one for "
                    + "the whole run (quick looks). Default: the suite's (workload for smoke, cell otherwise).")
    String forkMode;

    @Option(names = "--shuffle", paramLabel = "SEED",
            description = "Run the cells in a random order drawn from SEED (recorded in the document), after T₁.")
    Long shuffle;

    @Option(names = "--target-ci", paramLabel = "PCT",
            description = "Add fresh forks to each cell until its 95 %% interval is within ±PCT %% of its median: at least --forks, "
                    + "at most --max-forks clean forks. Default: the suite's (none: exactly --forks).")
    Double targetCi;

    @Option(names = "--max-forks", paramLabel = "N", description = "The most clean forks a cell gets with --target-ci (default: the suite's — 12 in the default suite —, else 10, or --forks if more).")
    Integer maxForks;

    @Option(names = "--interleave", negatable = true,
            description = "Measure every target (--jdk 17 --jdk 25, --python …, or one JDK's models) in one sitting of rounds: round r "
                    + "runs fork r of every cell of every target, in a shuffled order (--shuffle SEED sets it), so that a cell's forks "
                    + "span the whole run and comparisons of its runs pair forks round by round. Needs a fresh worker per cell. "
                    + "Default: the suite's (the default suite interleaves; --no-interleave measures cell by cell, target by target).")
    Boolean interleave;

    @Option(names = "--no-machine-probe",
            description = "Do not measure the machine beside each fork (no capacity probes, no disturbed forks left out): only for "
                    + "measuring what the probe costs. " + dev.conlab.bench.machine.Disturbance.RULE_FOR_HELP + ".")
    boolean noMachineProbe;

    @Option(names = "--cell-timeout", paramLabel = "SECONDS", description = "Kill a cell's worker after this long (default: 60 smoke, 300 default, 300 seed, 120 scaling).")
    Integer cellTimeout;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the result document (conlab.run/1 JSON). With several JDKs or interpreters, one file each: "
                    + "FILE-jdkNN.json, FILE-python3.N.json.")
    Path out;

    @Option(names = "--no-progress", description = "Print a line per cell instead of a progress bar.")
    boolean noProgress;

    @Option(names = "--upload", paramLabel = "URL", description = "Upload each result document to this lab server (needs --token).")
    String upload;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CONLAB_TOKEN}",
            description = "Token with the upload scope, for --upload. Env: CONLAB_TOKEN.")
    String token;

    @picocli.CommandLine.Mixin
    TaskJarOptions taskJars;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        // Everything is checked before anything runs or is written.
        // Python tasks are described by the interpreter they will run on (the first --python), else by python3
        List<String> pythonSelectors = pythons.isEmpty() && !taskJars.pythonTasks.isEmpty() ? List.of("python3") : pythons;
        List<Python> interpreters = pythonSelectors.isEmpty() ? List.of() : Pythons.discover().select(pythonSelectors);
        TaskJars tasks = taskJars.install(interpreters.isEmpty() ? "python3" : interpreters.get(0).executable().toString());
        RunRequest request = new RunRequest(suite, workloads, models, params, warmups, iterations, forks,
                cellTimeout, jdks, null, forkMode, shuffle, pythonSelectors).withPrecision(targetCi, maxForks, interleave);
        // tasks of yours and no --workloads: only the tasks, each on its own runtime
        List<String> javaTasks = tasks.tasks().stream().map(dev.conlab.bench.TaskWorkload::id).toList();
        List<String> pythonTasks = taskJars.pythonTaskIds;
        boolean onlyTasks = workloads.isEmpty() && (!javaTasks.isEmpty() || !pythonTasks.isEmpty());
        List<String> jvmWorkloads = onlyTasks ? javaTasks : workloads.stream().filter(w -> !pythonTasks.contains(w)).toList();
        List<String> pythonWorkloads = onlyTasks ? pythonTasks : workloads.stream().filter(w -> !javaTasks.contains(w)).toList();
        var chosen = new ArrayList<Target>();
        var plans = new ArrayList<RunSpec>();
        boolean jvmAsked = !request.onPython() || !jdks.isEmpty();
        if (jvmAsked && (jvmWorkloads.isEmpty() == workloads.isEmpty() || !jvmWorkloads.isEmpty()) && !(onlyTasks && javaTasks.isEmpty())) {
            RunSpec jvmSpec = RunPlanner.plan(request.withWorkloads(jvmWorkloads), Vocabulary.jvm());
            for (Jdk jdk : JdkCatalog.discover().select(jdks)) {
                chosen.add(jdk);
                plans.add(jvmSpec);
            }
        }
        if (request.onPython() && (pythonWorkloads.isEmpty() == workloads.isEmpty() || !pythonWorkloads.isEmpty())
                && !(onlyTasks && pythonTasks.isEmpty())) {
            RunSpec pythonSpec = RunPlanner.plan(request.withWorkloads(pythonWorkloads), Vocabulary.python());
            for (Python python : interpreters) {
                chosen.add(python);
                plans.add(pythonSpec);
            }
        }
        List<Path> files = outputFiles(chosen);
        Uploader uploader = upload == null ? null : new Uploader(upload, token);
        int failures = 0;

        var monitor = noMachineProbe ? dev.conlab.bench.machine.MachineMonitor.off() : dev.conlab.bench.machine.MachineMonitor.onThisMachine();
        var runner = new ForkRunner(tasks.classpath(ForkRunner.benchClasspath()), tasks.systemProperties(), monitor);
        Runtime.getRuntime().addShutdownHook(new Thread(runner::cancel));
        String sittingId = java.util.UUID.randomUUID().toString();
        PrintWriter err = spec.commandLine().getErr();
        boolean bar = !noProgress && System.console() != null;
        var outcomes = new ArrayList<ForkRunner.Outcome>();
        if (plans.stream().anyMatch(p -> p.settings().interleaved())) {
            long seed = shuffle != null ? shuffle : new java.util.Random().nextLong();
            var sitting = new Sitting(sittingId, chosen.size(), true, seed, null);
            int cells = plans.stream().mapToInt(p -> p.cells().size()).sum();
            try (Progress progress = Progress.create("sitting of " + chosen.size(), cells, bar, stdout, false)) {
                var jobs = new ArrayList<ForkRunner.Job>();
                for (int i = 0; i < chosen.size(); i++) {
                    jobs.add(new ForkRunner.Job(java.util.UUID.randomUUID().toString(), chosen.get(i), plans.get(i), progress.of(chosen.get(i))));
                }
                outcomes.addAll(runner.interleave(sitting, jobs));
            }
        } else {
            var sitting = new Sitting(sittingId, chosen.size(), false, null, null);
            for (int i = 0; i < chosen.size(); i++) {
                Target target = chosen.get(i);
                var job = new ForkRunner.Job(java.util.UUID.randomUUID().toString(), target, plans.get(i), null);
                try (Progress progress = Progress.create(target.label(), plans.get(i).cells().size(), bar, stdout, true)) {
                    outcomes.add(new ForkRunner.Outcome(job, runner.run(job.documentId(), target, job.spec(), progress.of(target), sitting), null));
                } catch (ForkRunner.WorkerFailedException e) {
                    outcomes.add(new ForkRunner.Outcome(job, null, e.getMessage()));
                }
                // each target's summary as soon as it is measured; an interleaved sitting's all at the end
                failures += report(outcomes.get(i), files.isEmpty() ? null : files.get(i), uploader, stdout, err);
            }
            return failures == 0 ? 0 : 1;
        }
        for (int i = 0; i < outcomes.size(); i++) failures += report(outcomes.get(i), files.isEmpty() ? null : files.get(i), uploader, stdout, err);
        return failures == 0 ? 0 : 1;
    }

    /** One target's end: its summary, file and upload — or its failure. The number of failures (0 or 1). */
    private static int report(ForkRunner.Outcome outcome, Path file, Uploader uploader, PrintWriter stdout, PrintWriter err) throws java.io.IOException {
        Target target = outcome.job().target();
        if (outcome.document() == null) {
            err.println("conlab: " + target.label() + ": " + outcome.failure());
            return 1;
        }
        RunDocument doc = outcome.document();
        SummaryTable.print(doc, stdout);
        printClaims(doc, stdout);
        String json = Json.PRETTY.writeValueAsString(doc);
        if (file != null) {
            Files.writeString(file, json);
            stdout.println("Result document: " + file);
        }
        int failed = uploader != null && !uploader.upload(target.label(), json, stdout, err) ? 1 : 0;
        stdout.flush();
        return failed;
    }

    /** The articles' claims this run's cells decide, one line each (the server's /claims page has them all). */
    static void printClaims(RunDocument doc, PrintWriter out) {
        var judged = dev.conlab.server.claims.ClaimJudge.ofRun(doc);
        if (judged.isEmpty()) return;
        out.println("The articles' claims these cells decide (rule: `conlab serve`, /claims):");
        for (var j : judged) {
            out.printf("  %-24s %s%n", j.claim().id(), j.verdict().replace('-', ' '));
            for (var f : j.verdicts().get(0).figures()) out.println("      " + f.text());
        }
    }

    private List<Path> outputFiles(List<Target> chosen) {
        if (out == null) return List.of();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new InvalidSpecException("cannot write --out " + out + ": folder " + parent + " does not exist");
        }
        if (chosen.size() == 1) return List.of(out);
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".json";
        return chosen.stream().map(t -> out.resolveSibling(stem + "-" + suffix(t, chosen) + ext)).toList();
    }

    /** jdk25, or python3.11 (with the interpreter's name when two of one version are chosen). */
    private static String suffix(Target target, List<Target> chosen) {
        if (target instanceof Jdk jdk) return "jdk" + jdk.feature();
        Python python = (Python) target;
        long sameVersion = chosen.stream().filter(t -> t instanceof Python p && p.feature().equals(python.feature())).count();
        String name = "python" + python.feature() + (python.info().freeThreadedBuild() ? "t" : "");
        return sameVersion > 1 ? name + "-" + Math.abs(python.executable().toString().hashCode()) : name;
    }
}
