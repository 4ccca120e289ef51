package dev.conlab.bench.fork;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.Settings;
import dev.conlab.bench.harness.Probe;
import dev.conlab.bench.harness.Worker;
import dev.conlab.bench.harness.WorkerEvent;
import dev.conlab.bench.machine.ForkWindow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One fork of a group of cells: a fresh worker process (a JVM, or an interpreter running the Python worker) started on the
 * spec file, its line protocol read, its cells timed out and killed with everything under it; a worker that dies mid-cell
 * has that cell recorded as failed and a new worker goes on with the rest of the group, in the same fork. The machine's
 * window follows the worker's reports.
 */
final class WorkerProcess {

    /** How long a worker may take to start or to move from one cell to the next. */
    private static final long GAP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int STDERR_TAIL_LINES = 40;

    /** What the supervisor hears of one fork. */
    interface Sink {
        /** The worker said what it runs on. */
        void hello(WorkerEvent.Hello hello);

        /** A cell of the fork ended (measured, failed or timed out), with the worker that measured it. */
        void cell(int index, CellResult result, Double idealPerOneThread, long pid);
    }

    /** The supervisor's switches: whether to stop, and where to keep the process measuring now (to kill it on cancel). */
    interface Control {
        boolean cancelled();

        void running(Process process);
    }

    private final String classpath;
    private final List<String> systemProperties;
    private final Control control;

    WorkerProcess(String classpath, List<String> systemProperties, Control control) {
        this.classpath = classpath;
        this.systemProperties = systemProperties;
        this.control = control;
    }

    /** Measures {@code cells} once each, in as many workers as it takes. */
    void fork(Target target, Settings settings, List<CellSpec> cells, ForkWindow window, ForkRunner.Listener listener, Sink sink)
            throws ForkRunner.WorkerFailedException, ForkRunner.CancelledException, InterruptedException, IOException {
        Map<Integer, CellSpec> remaining = new LinkedHashMap<>();
        for (CellSpec cell : cells) remaining.put(cell.index(), cell);
        Path specFile = Files.createTempFile("conlab-spec-", ".json");
        try {
            while (!remaining.isEmpty()) {
                Files.writeString(specFile, Json.MAPPER.writeValueAsString(new RunSpec(null, settings, new ArrayList<>(remaining.values()))));
                int before = remaining.size();
                runWorker(target, specFile, settings.cellTimeoutSeconds(), remaining, window, listener, sink);
                if (remaining.size() == before) {
                    throw new ForkRunner.WorkerFailedException("the worker on " + target.label() + " made no progress");
                }
            }
        } finally {
            Files.deleteIfExists(specFile);
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

    private void runWorker(Target target, Path specFile, int cellTimeoutSeconds, Map<Integer, CellSpec> remaining, ForkWindow window,
                           ForkRunner.Listener listener, Sink sink)
            throws ForkRunner.WorkerFailedException, ForkRunner.CancelledException, InterruptedException, IOException {
        if (control.cancelled()) throw new ForkRunner.CancelledException();
        ProcessBuilder builder = new ProcessBuilder(command(target, specFile));
        if (target instanceof Python && PythonTasks.environment() != null) builder.environment().put(PythonTasks.ENV, PythonTasks.environment());
        // the worker reports the machine under this process's name (--machine-name), as the lab knows it
        String machineName = Probe.machineName();
        if (machineName != null) builder.environment().put(Probe.MACHINE_NAME_ENV, machineName);
        Process process = builder.start();
        control.running(process);
        long pid = process.pid();
        String kind = target instanceof Python ? "process" : "JVM";
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
                if (control.cancelled()) {
                    killTree(process);
                    throw new ForkRunner.CancelledException();
                }
                if (item == null) { // deadline passed
                    killTree(process);
                    if (running == null) {
                        throw new ForkRunner.WorkerFailedException("the worker on " + target.label()
                                + " did not start a cell within 120 s" + tail(stderrTail));
                    }
                    sink.cell(running, CellResult.notRun(remaining.remove(running), CellStatus.TIMEOUT,
                            "did not finish within the cell timeout of " + cellTimeoutSeconds + " s; the worker " + kind
                                    + " and its children were killed"), null, pid);
                    return;
                }
                if (item instanceof WorkerEvent.Hello hello) {
                    sink.hello(hello);
                } else if (item instanceof WorkerEvent.CellStart start) {
                    running = start.index();
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(cellTimeoutSeconds);
                    window.observe(pid, false);
                    listener.cellStarted(start.index(), start.workload(), start.model());
                } else if (item instanceof WorkerEvent.Iteration it) {
                    window.observe(pid, true);
                    listener.iteration(it.index(), it.phase(), it.iteration(), it.of());
                } else if (item instanceof WorkerEvent.CellDone done) {
                    window.observe(pid, false);
                    remaining.remove(done.index());
                    sink.cell(done.index(), done.result(), done.idealPerOneThread(), pid);
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
                    String why = "the worker " + kind + " exited with code " + code + (failure != null ? ": " + failure : "") + tail(stderrTail);
                    if (running == null) throw new ForkRunner.WorkerFailedException(why);
                    sink.cell(running, CellResult.notRun(remaining.remove(running), CellStatus.FAILED, why), null, pid);
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
            control.running(null);
        }
    }

    private static final Object EOF = new Object();

    private static Thread readEvents(Process process, BlockingQueue<Object> events, ForkRunner.Listener listener) {
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

    private static Thread pump(Process process, Deque<String> tail, ForkRunner.Listener listener) {
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
