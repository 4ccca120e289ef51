package dev.conlab.bench.fork;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.ForkMode;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.Vocabulary;
import dev.conlab.bench.harness.Probe;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.OneThread;
import dev.conlab.bench.Params;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Settings;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.bench.stats.Summary;
import dev.conlab.bench.harness.Worker;
import dev.conlab.bench.harness.WorkerEvent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Random;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link RunSpec} in forked worker JVMs on one JDK and supervises them: a cell that outlives its
 * timeout has its worker (and every process the worker started) killed and is recorded as
 * {@code timeout}; a worker that dies mid-cell has that cell recorded as {@code failed} with the tail of
 * its stderr; either way a new worker goes on with the remaining cells. The CLI and the server's queue
 * both measure through this class.
 */
public final class ForkRunner {

    /** How long a worker may take to start or to move from one cell to the next. */
    private static final long GAP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int STDERR_TAIL_LINES = 40;

    /** What a caller hears while a run goes on. Every method has a default: implement what you show. */
    public interface Listener {
        default void started(Jdk jdk, MachineInfo machine, JvmInfo jvm) {
        }

        /** The first worker said what it runs on: {@code jvm} for a JDK, {@code python} for an interpreter. */
        default void started(Target target, MachineInfo machine, JvmInfo jvm, PythonInfo python) {
            if (target instanceof Jdk jdk) started(jdk, machine, jvm);
        }

        /** A fresh worker JVM (or group of them, for the fork mode) starts fork {@code number} (0-based) of {@code forks}. */
        default void forkStarted(int number, int forks) {
        }

        /** A cell starts in a worker; a negative index is a measurement of T₁ that is not one of the plan's cells. */
        default void cellStarted(int index, String workload, String model) {
        }

        default void iteration(int index, String phase, int iteration, int of) {
        }

        default void cellFinished(int index, CellResult result) {
        }

        /** A line the worker wrote on stderr. */
        default void log(String line) {
        }
    }

    /** The worker could not run at all (bad JDK, crash before any cell). */
    public static final class WorkerFailedException extends Exception {
        public WorkerFailedException(String message) {
            super(message);
        }
    }

    /** {@link #cancel()} was called. */
    public static final class CancelledException extends Exception {
        public CancelledException() {
            super("the run was cancelled");
        }
    }

    private final String classpath;
    private final List<String> systemProperties;
    private volatile Process current;
    private volatile boolean cancelled;

    /**
     * @param classpath        the worker's classpath: the bench jar (multi-release), plus fixtures in tests
     * @param systemProperties {@code -Dkey=value} arguments for the worker JVMs
     */
    public ForkRunner(String classpath, List<String> systemProperties) {
        this.classpath = classpath;
        this.systemProperties = List.copyOf(systemProperties);
    }

    /** The workers' classpath: the jar (or folder) the bench classes came from, and Jackson's three jars. */
    public static String benchClasspath() {
        var entries = new java.util.LinkedHashSet<String>();
        for (Class<?> c : List.of(Worker.class, com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonTypeInfo.class,
                org.HdrHistogram.Histogram.class)) {
            try {
                entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (Exception e) {
                throw new IllegalStateException("cannot locate the jar of " + c.getName(), e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** Kills the running worker and its children; {@link #run} then throws {@link CancelledException}. */
    public void cancel() {
        cancelled = true;
        Process p = current;
        if (p != null) killTree(p);
    }

    /** The PID of the worker JVM running now, if any. */
    public Long currentPid() {
        Process p = current;
        return p == null ? null : p.pid();
    }

    public RunDocument run(Target target, RunSpec spec, Listener listener)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        return run(UUID.randomUUID().toString(), target, spec, listener);
    }

    /**
     * Measures the plan: first T₁ for every workload (and parameters) whose ideal needs it — the baseline model's cell in
     * its own fresh fork(s), the run's cell itself when the plan has it — then the other cells, grouped into worker JVMs by
     * the fork mode ({@code forks} fresh JVMs per group), in the plan's order or shuffled by the seed. Each cell is
     * reported to the listener once, when all its forks are done, with its samples numbered by fork and its ideal filled
     * in from the run's T₁.
     *
     * @param documentId the result document's id (the queue gives each run its id when it is queued)
     */
    public RunDocument run(String documentId, Target target, RunSpec spec, Listener listener)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        String startedAt = Instant.now().toString();
        Settings settings = spec.settings();
        Run run = new Run(target, settings, listener);
        Vocabulary vocabulary = target.vocabulary();

        // 1. one T₁ per workload and parameters, the same whatever models the plan selects
        String baseline = vocabulary.baseline();
        var oneThreads = new ArrayList<OneThread>();
        var measuredForOneThread = new HashSet<Integer>();
        int synthetic = 0;
        for (CellSpec cell : spec.cells()) {
            boolean needed = vocabulary.findWorkload(cell.workload()).map(Vocabulary.Entry::idealUsesOneThreadTime).orElse(false);
            if (!needed || run.oneThread.containsKey(key(cell))) continue;
            CellSpec base = spec.cells().stream().filter(c -> c.model().equals(baseline) && key(c).equals(key(cell))).findFirst()
                    .orElse(new CellSpec(-1 - synthetic++, cell.workload(), baseline, cell.params(), Map.of()));
            CellResult measured = run.measure(List.of(base), false).get(base.index());
            OneThread t1 = oneThread(base, measured, settings);
            run.oneThread.put(key(cell), t1);
            if (t1 != null) oneThreads.add(t1);
            if (base.index() >= 0) {
                measuredForOneThread.add(base.index());
                run.finish(base.index(), measured);
            }
        }

        // 2. the other cells
        List<CellSpec> rest = new ArrayList<>(spec.cells().stream().filter(c -> !measuredForOneThread.contains(c.index())).toList());
        if (settings.shuffleSeed() != null) Collections.shuffle(rest, new Random(settings.shuffleSeed()));
        for (List<CellSpec> group : groups(rest, settings.effectiveForkMode(), target)) run.measure(group, true);

        var ordered = new ArrayList<CellResult>();
        for (CellSpec cell : spec.cells()) ordered.add(run.results.get(cell.index()));
        return new RunDocument(RunDocument.SCHEMA, documentId, startedAt, Instant.now().toString(),
                spec.suite(), run.machine, run.jvm, settings, ordered, List.copyOf(oneThreads), spec.sweeps().isEmpty() ? null : spec.sweeps(),
                run.python);
    }

    /** Cells of one workload and parameters share a T₁. */
    private static String key(CellSpec cell) {
        return cell.workload() + Params.fromJson(cell.params()).values();
    }

    /**
     * The workers' groups: every cell alone, every workload's cells together, or all of them; on Python a gevent cell
     * always has a worker of its own (monkey-patching changes the whole process).
     */
    static List<List<CellSpec>> groups(List<CellSpec> cells, ForkMode mode, Target target) {
        if (target instanceof Python && mode != ForkMode.CELL) {
            var patched = cells.stream().filter(c -> c.model().equals("gevent")).toList();
            if (!patched.isEmpty()) {
                var groups = new ArrayList<>(groups(cells.stream().filter(c -> !c.model().equals("gevent")).toList(), mode, target));
                patched.forEach(c -> groups.add(List.of(c)));
                return groups;
            }
        }
        return switch (mode) {
            case CELL -> cells.stream().map(List::of).toList();
            case RUN -> cells.isEmpty() ? List.of() : List.of(cells);
            case WORKLOAD -> {
                var byWorkload = new LinkedHashMap<String, List<CellSpec>>();
                for (CellSpec c : cells) byWorkload.computeIfAbsent(c.workload(), k -> new ArrayList<>()).add(c);
                yield List.copyOf(byWorkload.values());
            }
        };
    }

    /** T₁ from the baseline's measurement: the median of every sample, with the interval the statistics give it. */
    private static OneThread oneThread(CellSpec base, CellResult measured, Settings settings) {
        if (measured == null || measured.status() != CellStatus.OK || measured.samples().isEmpty()) return null;
        Summary s = CellSummary.wall(measured);
        int forks = (int) measured.samples().stream().map(Sample::fork).distinct().count();
        String method = "the " + base.model() + " model's own code path in " + (forks == 1 ? "its own fresh fork" : forks + " fresh forks")
                + ", " + settings.warmups() + " warm-up(s) + " + settings.iterations() + " iteration(s) each, as every cell; T₁ = the median of all "
                + measured.samples().size() + " samples; interval: " + s.interval();
        return new OneThread(base.workload(), base.params(), Math.round(s.median()), s.ciLow(), s.ciHigh(), forks,
                measured.samples().size(), method);
    }

    /** Pools the samples of two forks; a cell that did not finish in one fork keeps that status. */
    public static CellResult pool(CellResult a, CellResult b) {
        if (a.status() != CellStatus.OK) return a;
        if (b.status() != CellStatus.OK) return b;
        return a.withSamples(b.samples(), b.warmupWallNanos(), b.workerPids());
    }

    /** One run's state: the machine and JVM the first worker reported, T₁ so far, the cells finished. */
    private final class Run {
        final Target target;
        final Settings settings;
        final Listener listener;
        MachineInfo machine;
        JvmInfo jvm;
        PythonInfo python;
        boolean started;
        final Map<String, OneThread> oneThread = new HashMap<>();
        final Map<Integer, Double> idealPerOneThread = new HashMap<>();
        final Map<Integer, CellResult> results = new TreeMap<>();

        Run(Target target, Settings settings, Listener listener) {
            this.target = target;
            this.settings = settings;
            this.listener = listener;
        }

        /** The cells being measured now, pooled over their forks so far. */
        private Map<Integer, CellResult> pooled = new TreeMap<>();
        /** Whether a cell is finished (reported) as soon as its last fork is done, or left to the caller. */
        private boolean report;

        /**
         * The cells, each measured in {@code settings.forks()} fresh worker JVMs of the group; a cell that fails in a fork
         * is not measured again. With {@code report}, each cell is finished the moment its last fork (or a failure) is in,
         * so that a group's cells reach the listener one by one as in a single worker.
         */
        Map<Integer, CellResult> measure(List<CellSpec> cells, boolean reportEach)
                throws WorkerFailedException, CancelledException, InterruptedException, IOException {
            pooled = new TreeMap<>();
            report = reportEach;
            List<CellSpec> left = cells;
            for (int fork = 0; fork < settings.forks() && !left.isEmpty(); fork++) {
                listener.forkStarted(fork, settings.forks());
                runFork(target, left, fork, this);
                left = left.stream().filter(c -> pooled.get(c.index()) != null && pooled.get(c.index()).status() == CellStatus.OK).toList();
            }
            return pooled;
        }

        /** One fork's result of a cell is in. */
        void forkDone(int index, CellResult forkResult, int fork) {
            CellResult merged = pooled.merge(index, forkResult, ForkRunner::pool);
            if (report && (fork == settings.forks() - 1 || merged.status() != CellStatus.OK)) finish(index, merged);
        }

        /** A cell is done: its CPU-bound ideal from the run's T₁, then the listener hears of it. */
        void finish(int index, CellResult result) {
            CellResult cell = result;
            Double perOneThread = idealPerOneThread.get(index);
            if (cell.status() == CellStatus.OK && perOneThread != null) {
                OneThread t1 = oneThread.get(cell.workload() + Params.fromJson(cell.params()).values());
                cell = t1 == null
                        ? cell.withIdeal(null, cell.idealFormula() + " (T₁ could not be measured: its " + target.vocabulary().baseline()
                                + " cell did not finish)", null)
                        : cell.withIdeal(Math.round(t1.nanos() * perOneThread), cell.idealFormula(), t1.nanos());
            }
            results.put(index, cell);
            listener.cellFinished(index, cell);
        }
    }

    private Map<Integer, CellResult> runFork(Target target, List<CellSpec> cells, int forkNumber, Run run)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        Fork fork = new Fork(forkNumber);
        Map<Integer, CellSpec> remaining = new LinkedHashMap<>();
        for (CellSpec cell : cells) remaining.put(cell.index(), cell);
        Path specFile = Files.createTempFile("conlab-spec-", ".json");
        try {
            while (!remaining.isEmpty()) {
                Files.writeString(specFile, Json.MAPPER.writeValueAsString(new RunSpec(null, run.settings, new ArrayList<>(remaining.values()))));
                int before = remaining.size();
                runWorker(target, specFile, run.settings.cellTimeoutSeconds(), remaining, fork, run);
                if (remaining.size() == before) {
                    throw new WorkerFailedException("the worker on " + target.label() + " made no progress");
                }
            }
        } finally {
            Files.deleteIfExists(specFile);
        }
        return fork.results;
    }

    /** One worker JVM's (or its replacements') results for one fork of a group. */
    private static final class Fork {
        final int number;
        final Map<Integer, CellResult> results = new TreeMap<>();

        Fork(int number) {
            this.number = number;
        }
    }

    private List<String> command(Target target, Path specFile) {
        if (target instanceof Python python) {
            return List.of(python.executable().toString(), PythonWorker.script().toString(), specFile.toString());
        }
        Jdk jdk = (Jdk) target;
        var command = new ArrayList<String>();
        command.add(jdk.java().toString());
        if (jdk.feature() >= 22) command.add("--enable-native-access=ALL-UNNAMED"); // getrusage via FFM
        command.addAll(systemProperties);
        command.addAll(List.of("-cp", classpath, Worker.class.getName(), specFile.toString()));
        return command;
    }

    private void runWorker(Target target, Path specFile, int cellTimeoutSeconds, Map<Integer, CellSpec> remaining,
                           Fork fork, Run run)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        if (cancelled) throw new CancelledException();
        Listener listener = run.listener;
        ProcessBuilder builder = new ProcessBuilder(command(target, specFile));
        String fixtures = System.getProperty("conlab.pythonFixtures"); // tests: workloads that go wrong on purpose
        if (target instanceof Python && fixtures != null) builder.environment().put("CONLAB_PYTHON_FIXTURES", fixtures);
        // the worker reports the machine under this process's name (--machine-name), as the lab knows it
        String machineName = Probe.machineName();
        if (machineName != null) builder.environment().put(Probe.MACHINE_NAME_ENV, machineName);
        Process process = builder.start();
        current = process;
        // stdin stays open and unused until the worker ends: the worker stops when it closes (see Worker).
        Deque<String> stderrTail = new ArrayDeque<>();
        Thread stderr = pump(process, stderrTail, listener);
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Thread stdout = readEvents(process, events, listener);
        Integer running = null;
        long deadline = System.nanoTime() + GAP_TIMEOUT_NANOS;
        String failure = null;
        try {
            while (true) {
                Object item = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (cancelled) {
                    killTree(process);
                    throw new CancelledException();
                }
                if (item == null) { // deadline passed
                    killTree(process);
                    if (running == null) {
                        throw new WorkerFailedException("the worker on " + target.label()
                                + " did not start a cell within 120 s" + tail(stderrTail));
                    }
                    record(running, CellResult.notRun(remaining.get(running), CellStatus.TIMEOUT,
                            "did not finish within the cell timeout of " + cellTimeoutSeconds
                                    + " s; the worker " + (target instanceof Python ? "process" : "JVM")
                                    + " and its children were killed"), null, remaining, fork, process, run);
                    return;
                }
                if (item instanceof WorkerEvent.Hello hello) {
                    if (!run.started) {
                        run.started = true;
                        // a Python worker leaves the machine to the lab, which runs on the same host
                        run.machine = hello.machine() != null ? hello.machine() : Probe.machine();
                        run.jvm = hello.jvm();
                        run.python = hello.python();
                        listener.started(target, run.machine, run.jvm, run.python);
                    }
                } else if (item instanceof WorkerEvent.CellStart start) {
                    running = start.index();
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(cellTimeoutSeconds);
                    listener.cellStarted(start.index(), start.workload(), start.model());
                } else if (item instanceof WorkerEvent.Iteration it) {
                    listener.iteration(it.index(), it.phase(), it.iteration(), it.of());
                } else if (item instanceof WorkerEvent.CellDone done) {
                    record(done.index(), done.result(), done.idealPerOneThread(), remaining, fork, process, run);
                    running = null;
                    deadline = System.nanoTime() + GAP_TIMEOUT_NANOS;
                } else if (item instanceof WorkerEvent.Failure f) {
                    failure = f.message();
                } else if (item instanceof WorkerEvent.Done) {
                    process.waitFor(30, TimeUnit.SECONDS);
                    return;
                } else if (item == EOF) {
                    int code = process.waitFor();
                    stderr.join(2000);
                    String why = "the worker " + (target instanceof Python ? "process" : "JVM") + " exited with code " + code
                            + (failure != null ? ": " + failure : "") + tail(stderrTail);
                    if (running == null) throw new WorkerFailedException(why);
                    record(running, CellResult.notRun(remaining.get(running), CellStatus.FAILED,
                            why), null, remaining, fork, process, run);
                    return;
                }
            }
        } finally {
            if (process.isAlive()) killTree(process);
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // the worker is gone either way
            }
            stdout.join(2000);
            current = null;
        }
    }

    /** One fork's result of a cell, numbered with its fork and its worker's PID; the cell is finished once all forks are. */
    private static void record(int index, CellResult result, Double idealPerOneThread, Map<Integer, CellSpec> remaining, Fork fork,
                               Process process, Run run) {
        remaining.remove(index);
        CellResult numbered = result.ofFork(fork.number, process.pid());
        fork.results.put(index, numbered);
        if (idealPerOneThread != null) run.idealPerOneThread.put(index, idealPerOneThread);
        run.forkDone(index, numbered, fork.number);
    }

    private static final Object EOF = new Object();

    private static Thread readEvents(Process process, BlockingQueue<Object> events, Listener listener) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("{")) {
                        listener.log(line);
                        continue;
                    }
                    try {
                        events.add(Json.MAPPER.readValue(line, WorkerEvent.class));
                    } catch (IOException e) {
                        listener.log(line);
                    }
                }
            } catch (IOException e) {
                // the worker was killed
            } finally {
                events.add(EOF);
            }
        }, "worker-stdout");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Thread pump(Process process, Deque<String> tail, Listener listener) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > STDERR_TAIL_LINES) tail.removeFirst();
                    }
                    listener.log(line);
                }
            } catch (IOException e) {
                // the worker was killed
            }
        }, "worker-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String tail(Deque<String> tail) {
        synchronized (tail) {
            if (tail.isEmpty()) return "";
            return "; stderr: " + String.join(" | ", tail);
        }
    }

    /**
     * Kills the worker and every process under it. The descendants are listed first (they are no longer its descendants
     * once it is gone), then the worker dies first — so that nothing of it can replace a killed child, as
     * {@code multiprocessing.Pool} does — then each descendant, each after listing its own children (a pool worker's
     * subprocess), until no new process turns up.
     */
    static void killTree(Process process) {
        var all = new java.util.LinkedHashSet<ProcessHandle>(process.descendants().toList());
        process.destroyForcibly();
        for (int round = 0; round < 5; round++) {
            var fresh = new java.util.LinkedHashSet<ProcessHandle>();
            for (ProcessHandle h : all) {
                h.descendants().filter(d -> !all.contains(d)).forEach(fresh::add);
                h.destroyForcibly();
            }
            if (fresh.isEmpty()) break;
            all.addAll(fresh);
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            for (ProcessHandle h : all) h.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort; the caller checks what it must
        }
    }
}
