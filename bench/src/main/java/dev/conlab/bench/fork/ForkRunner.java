package dev.conlab.bench.fork;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
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
import java.util.Deque;
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
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonTypeInfo.class)) {
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

    public RunDocument run(Jdk jdk, RunSpec spec, Listener listener)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        return run(UUID.randomUUID().toString(), jdk, spec, listener);
    }

    /** @param documentId the result document's id (the queue gives each run its id when it is queued) */
    public RunDocument run(String documentId, Jdk jdk, RunSpec spec, Listener listener)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        String startedAt = Instant.now().toString();
        Map<Integer, CellResult> results = new TreeMap<>();
        Fork first = null;
        for (int fork = 0; fork < spec.settings().forks(); fork++) {
            Fork f = runFork(jdk, spec, listener);
            if (first == null) first = f;
            for (var e : f.results.entrySet()) results.merge(e.getKey(), e.getValue(), ForkRunner::pool);
        }
        var ordered = new ArrayList<CellResult>();
        for (CellSpec cell : spec.cells()) ordered.add(results.get(cell.index()));
        return new RunDocument(RunDocument.SCHEMA, documentId, startedAt, Instant.now().toString(),
                spec.suite(), first.machine, first.jvm, spec.settings(), ordered);
    }

    /** Pools the samples of two forks; a cell that did not finish in one fork keeps that status. */
    public static CellResult pool(CellResult a, CellResult b) {
        if (a.status() != CellStatus.OK) return a;
        if (b.status() != CellStatus.OK) return b;
        return a.withSamples(b.samples(), b.warmupWallNanos());
    }

    private static final class Fork {
        MachineInfo machine;
        JvmInfo jvm;
        final Map<Integer, CellResult> results = new TreeMap<>();
    }

    private Fork runFork(Jdk jdk, RunSpec spec, Listener listener)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        Fork fork = new Fork();
        Map<Integer, CellSpec> remaining = new LinkedHashMap<>();
        for (CellSpec cell : spec.cells()) remaining.put(cell.index(), cell);
        Path specFile = Files.createTempFile("conlab-spec-", ".json");
        try {
            while (!remaining.isEmpty()) {
                Files.writeString(specFile, Json.MAPPER.writeValueAsString(spec.withCells(new ArrayList<>(remaining.values()))));
                int before = remaining.size();
                runWorker(jdk, specFile, spec.settings().cellTimeoutSeconds(), remaining, fork, listener);
                if (remaining.size() == before) {
                    throw new WorkerFailedException("the worker on JDK " + jdk.feature() + " made no progress");
                }
            }
        } finally {
            Files.deleteIfExists(specFile);
        }
        return fork;
    }

    private List<String> command(Jdk jdk, Path specFile) {
        var command = new ArrayList<String>();
        command.add(jdk.java().toString());
        if (jdk.feature() >= 22) command.add("--enable-native-access=ALL-UNNAMED"); // getrusage via FFM
        command.addAll(systemProperties);
        command.addAll(List.of("-cp", classpath, Worker.class.getName(), specFile.toString()));
        return command;
    }

    private void runWorker(Jdk jdk, Path specFile, int cellTimeoutSeconds, Map<Integer, CellSpec> remaining,
                           Fork fork, Listener listener)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        if (cancelled) throw new CancelledException();
        Process process = new ProcessBuilder(command(jdk, specFile)).start();
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
                        throw new WorkerFailedException("the worker on JDK " + jdk.feature()
                                + " did not start a cell within 120 s" + tail(stderrTail));
                    }
                    finish(running, CellResult.notRun(remaining.get(running), CellStatus.TIMEOUT,
                            "did not finish within the cell timeout of " + cellTimeoutSeconds
                                    + " s; the worker JVM and its children were killed"), remaining, fork, listener);
                    return;
                }
                if (item instanceof WorkerEvent.Hello hello) {
                    if (fork.jvm == null) {
                        fork.machine = hello.machine();
                        fork.jvm = hello.jvm();
                        listener.started(jdk, hello.machine(), hello.jvm());
                    }
                } else if (item instanceof WorkerEvent.CellStart start) {
                    running = start.index();
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(cellTimeoutSeconds);
                    listener.cellStarted(start.index(), start.workload(), start.model());
                } else if (item instanceof WorkerEvent.Iteration it) {
                    listener.iteration(it.index(), it.phase(), it.iteration(), it.of());
                } else if (item instanceof WorkerEvent.CellDone done) {
                    finish(done.index(), done.result(), remaining, fork, listener);
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
                    String why = "the worker JVM exited with code " + code
                            + (failure != null ? ": " + failure : "") + tail(stderrTail);
                    if (running == null) throw new WorkerFailedException(why);
                    finish(running, CellResult.notRun(remaining.get(running), CellStatus.FAILED,
                            why), remaining, fork, listener);
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

    private static void finish(int index, CellResult result, Map<Integer, CellSpec> remaining, Fork fork, Listener listener) {
        remaining.remove(index);
        fork.results.put(index, result);
        listener.cellFinished(index, result);
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

    /** Kills the worker's descendants first (they are no longer its descendants once it is gone), then the worker. */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            for (ProcessHandle h : descendants) h.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort; the caller checks what it must
        }
    }
}
