package dev.conlab.bench.harness;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunSpec;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main class of a forked worker JVM: {@code java -cp bench.jar dev.conlab.bench.harness.Worker SPEC.json}.
 * Streams one JSON line per {@link WorkerEvent} on stdout (workload output goes to stderr). Any Throwable
 * outside a cell is reported with its cause and the JVM exits with 1, so a failure always crosses the
 * fork boundary.
 */
public final class Worker {

    private final PrintStream protocol;

    private Worker(PrintStream protocol) {
        this.protocol = protocol;
    }

    public static void main(String[] args) {
        var protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        Worker worker = new Worker(protocol);
        watchParent();
        int code = 0;
        try {
            if (args.length != 1) throw new IllegalArgumentException("usage: Worker SPEC.json");
            RunSpec spec = Json.MAPPER.readValue(Files.readString(Path.of(args[0])), RunSpec.class);
            worker.run(spec);
        } catch (Throwable t) {
            worker.emit(new WorkerEvent.Failure(Harness.describe(t)));
            code = 1;
        }
        protocol.flush();
        System.exit(code); // threads a broken cell left behind must not keep the JVM alive
    }

    /**
     * The supervisor keeps the worker's stdin open and never writes to it: end of input means the supervisor
     * is gone (a server killed with SIGKILL cannot kill its workers), so the worker stops at once, with the
     * processes it started, rather than go on measuring beside the next run.
     */
    private static void watchParent() {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // nothing is ever sent
                }
            } catch (java.io.IOException e) {
                // the same: the supervisor is gone
            }
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            Runtime.getRuntime().halt(3);
        }, "conlab-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void run(RunSpec spec) {
        emit(new WorkerEvent.Hello(Probe.machine(), Probe.jvm()));
        Harness harness = new Harness();
        for (CellSpec cell : spec.cells()) {
            emit(new WorkerEvent.CellStart(cell.index(), cell.workload(), cell.model()));
            Harness.Measured measured = harness.measure(cell, spec.settings(),
                    (index, phase, iteration, of) -> emit(new WorkerEvent.Iteration(index, phase, iteration, of)));
            emit(new WorkerEvent.CellDone(cell.index(), measured.result(), measured.idealPerOneThread()));
        }
        emit(new WorkerEvent.Done());
    }

    private synchronized void emit(WorkerEvent event) {
        try {
            protocol.println(Json.MAPPER.writerFor(WorkerEvent.class).writeValueAsString(event));
            protocol.flush();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write event " + event, e);
        }
    }
}
