package dev.conlab.bench.fork;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.ForkRecord;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.MachineState;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.Sitting;
import dev.conlab.bench.harness.Worker;
import dev.conlab.bench.harness.WorkerEvent;
import dev.conlab.bench.machine.Disturbance;
import dev.conlab.bench.machine.ForkWindow;
import dev.conlab.bench.machine.MachineMonitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Runs {@link RunSpec}s in forked workers and supervises them: a fresh worker (JVM or interpreter process) per fork of each
 * unit of cells, the machine measured beside every fork ({@link MachineMonitor}), a disturbed fork kept, left out of the
 * statistics and replaced ({@link Disturbance}), forks added until a target interval where the settings ask it, and a
 * sitting of several targets measured in interleaved rounds where they ask that. A cell that outlives its timeout has its
 * worker (and every process the worker started) killed and is recorded as {@code timeout}; a worker that dies mid-cell has
 * that cell recorded as {@code failed} with the tail of its stderr. The CLI, the server's queue and the agents all measure
 * through this class.
 */
public final class ForkRunner {

    /** What a caller hears while a run goes on. Every method has a default: implement what you show. */
    public interface Listener {
        default void started(Jdk jdk, MachineInfo machine, JvmInfo jvm) {
        }

        /** The first worker said what it runs on: {@code jvm} for a JDK, {@code python} for an interpreter. */
        default void started(Target target, MachineInfo machine, JvmInfo jvm, PythonInfo python) {
            if (target instanceof Jdk jdk) started(jdk, machine, jvm);
        }

        /** A fresh worker (or group of them, for the fork mode) starts fork {@code number} (0-based); {@code forks} are planned. */
        default void forkStarted(int number, int forks) {
        }

        /** Fork {@code number} ended; {@code disturbed} says why its figures are left out (it is replaced), or is null. */
        default void forkDone(int number, String disturbed) {
        }

        /** A cell starts in a worker; a negative index is a measurement of T₁ that is not one of the plan's cells. */
        default void cellStarted(int index, String workload, String model) {
        }

        default void iteration(int index, dev.conlab.bench.harness.Phase phase, int iteration, int of) {
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

    /** One target of a sitting: its document's id, the target, its plan and who hears of it. */
    public record Job(String documentId, Target target, RunSpec spec, Listener listener) {
    }

    /** A target's end in a sitting: its document, or why its worker could not run (then the document is null). */
    public record Outcome(Job job, RunDocument document, String failure) {
    }

    private final WorkerProcess workers;
    private final MachineMonitor monitor;
    private volatile Process current;
    private volatile boolean cancelled;

    /**
     * @param classpath        the worker's classpath: the bench jar (multi-release), plus fixtures in tests
     * @param systemProperties {@code -Dkey=value} arguments for the worker JVMs
     */
    public ForkRunner(String classpath, List<String> systemProperties) {
        this(classpath, systemProperties, MachineMonitor.onThisMachine());
    }

    public ForkRunner(String classpath, List<String> systemProperties, MachineMonitor monitor) {
        this.monitor = monitor;
        this.workers = new WorkerProcess(classpath, List.copyOf(systemProperties), new WorkerProcess.Control() {
            @Override
            public boolean cancelled() {
                return cancelled;
            }

            @Override
            public void running(Process process) {
                current = process;
            }
        });
    }

    /** The workers' classpath: the jar (or folder) the bench classes came from, the task API's, Jackson's three jars and HdrHistogram's. */
    public static String benchClasspath() {
        var entries = new java.util.LinkedHashSet<String>();
        for (Class<?> c : List.of(Worker.class, dev.conlab.api.Task.class, com.fasterxml.jackson.databind.ObjectMapper.class,
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
        if (p != null) WorkerProcess.killTree(p);
    }

    /** The PID of the worker running now, if any. */
    public Long currentPid() {
        Process p = current;
        return p == null ? null : p.pid();
    }

    public RunDocument run(Target target, RunSpec spec, Listener listener)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        return run(UUID.randomUUID().toString(), target, spec, listener);
    }

    public RunDocument run(String documentId, Target target, RunSpec spec, Listener listener)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        return run(documentId, target, spec, listener, null);
    }

    /**
     * Measures one target's plan: first T₁ for every workload (and parameters) whose ideal needs it — the baseline model's
     * cell in its own fresh forks, the run's cell itself when the plan has it — then the other cells, grouped into workers by
     * the fork mode, in the plan's order or shuffled by the seed; each unit fork after fork until it has enough (see
     * {@link CellForks}). Each cell is reported to the listener once, when its forks are done, with its samples numbered by
     * fork, its forks' records and its ideal filled in from the run's T₁.
     *
     * @param documentId the result document's id (the queue gives each run its id when it is queued)
     * @param sitting    the sitting this run belongs to (a command with several targets measured one after the other), or null
     */
    public RunDocument run(String documentId, Target target, RunSpec spec, Listener listener, Sitting sitting)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        TargetRun run = new TargetRun(documentId, target, spec, listener);
        for (TargetRun.Unit unit : run.oneThreadUnits) {
            while (!unit.done()) fork(unit, null, c -> !c.done(run.settings), c -> { });
            run.finishOneThread(unit);
        }
        for (TargetRun.Unit unit : run.cellUnits) {
            // each cell is finished the moment it has its forks, so that a group's cells reach the listener one by one
            while (!unit.done()) fork(unit, null, c -> !c.done(run.settings), c -> run.finishCells(unit, x -> x == c && x.done(run.settings)));
            run.finishCells(unit, c -> true);
        }
        return run.document(sitting);
    }

    /**
     * Measures a sitting's targets in interleaved rounds: round r runs fork r of every unit of every target (T₁'s too), in an
     * order shuffled by the sitting's seed; a disturbed fork is replaced within its round. Units of the same cells on several
     * targets go on together until each has enough, so that every round pairs them. A target whose worker cannot run at all
     * ends with its failure and the others go on.
     */
    public List<Outcome> interleave(Sitting sitting, List<Job> jobs) throws CancelledException, InterruptedException, IOException {
        var runs = new ArrayList<TargetRun>();
        for (Job job : jobs) runs.add(new TargetRun(job.documentId(), job.target(), job.spec(), job.listener()));
        var units = new ArrayList<TargetRun.Unit>();
        for (TargetRun run : runs) units.addAll(run.units());
        Map<String, List<TargetRun.Unit>> together = new HashMap<>();
        for (TargetRun.Unit unit : units) together.computeIfAbsent(unit.key(), k -> new ArrayList<>()).add(unit);
        Random order = new Random(sitting.seed() == null ? 0 : sitting.seed());
        int rounds = 0;
        for (int round = 0; round < dev.conlab.bench.Settings.MOST_FORKS; round++) {
            var active = new ArrayList<TargetRun.Unit>();
            for (TargetRun.Unit unit : units) {
                boolean measurable = unit.cells.stream().anyMatch(c -> !c.ended());
                if (unit.run.failure == null && measurable && !settled(unit, together)) active.add(unit);
            }
            if (active.isEmpty()) break;
            rounds = round + 1;
            Collections.shuffle(active, order);
            for (TargetRun.Unit unit : active) forkOrFail(unit, round, together);
            for (int again = 0; again < 2; again++) {
                var disturbed = active.stream().filter(u -> u.run.failure == null
                        && u.cells.stream().anyMatch(c -> c.lastDisturbed() && c.mayReplace(u.run.settings))).toList();
                for (TargetRun.Unit unit : disturbed) forkOrFail(unit, round, together);
            }
            for (TargetRun run : runs) {
                if (run.failure != null) continue;
                for (TargetRun.Unit unit : run.oneThreadUnits) if (settled(unit, together)) run.finishOneThread(unit);
                for (TargetRun.Unit unit : run.cellUnits) run.finishCells(unit, c -> settled(c, together, run));
            }
        }
        Sitting done = new Sitting(sitting.id(), sitting.targets(), true, sitting.seed(), rounds);
        var outcomes = new ArrayList<Outcome>();
        for (int i = 0; i < runs.size(); i++) {
            TargetRun run = runs.get(i);
            if (run.failure != null) {
                outcomes.add(new Outcome(jobs.get(i), null, run.failure));
                continue;
            }
            for (TargetRun.Unit unit : run.oneThreadUnits) run.finishOneThread(unit);
            for (TargetRun.Unit unit : run.cellUnits) run.finishCells(unit, c -> true);
            outcomes.add(new Outcome(jobs.get(i), run.document(done), null));
        }
        return outcomes;
    }

    /** A unit of an interleaved sitting needs no more rounds once it and its counterparts on the other targets are done. */
    private static boolean settled(TargetRun.Unit unit, Map<String, List<TargetRun.Unit>> together) {
        return together.get(unit.key()).stream().allMatch(u -> u.run.failure != null || u.done());
    }

    private static boolean settled(CellForks cell, Map<String, List<TargetRun.Unit>> together, TargetRun run) {
        for (TargetRun.Unit unit : run.cellUnits) if (unit.cells.contains(cell)) return settled(unit, together);
        return cell.done(run.settings);
    }

    private void forkOrFail(TargetRun.Unit unit, int round, Map<String, List<TargetRun.Unit>> together)
            throws CancelledException, InterruptedException, IOException {
        try {
            fork(unit, round, c -> !c.ended(), c -> { });
        } catch (WorkerFailedException e) {
            unit.run.failure = e.getMessage();
        }
    }

    /**
     * One fork of a unit: the capacity probed, a fresh worker measures the unit's cells that {@code wanted} keeps, the
     * capacity probed again; the fork is judged by {@link Disturbance} and recorded with every cell it measured. A worker
     * that measures several cells (the workload and run fork modes) has each cell judged by the stretch of the fork it took,
     * as it ends, and {@code recorded} hears of it at once — so that a group's cells reach the listener one by one.
     */
    private void fork(TargetRun.Unit unit, Integer round, java.util.function.Predicate<CellForks> wanted,
                      java.util.function.Consumer<CellForks> recorded)
            throws WorkerFailedException, CancelledException, InterruptedException, IOException {
        TargetRun run = unit.run;
        List<CellForks> cells = unit.cells.stream().filter(wanted).toList();
        if (cells.isEmpty()) cells = unit.cells;
        boolean group = cells.size() > 1;
        int number = unit.nextFork++;
        run.listener.forkStarted(number, run.settings.forks());
        Map<Integer, CellForks> byIndex = new HashMap<>();
        for (CellForks c : cells) byIndex.put(c.spec.index(), c);
        record Got(CellResult result, Double perOneThread, long pid) {
        }
        Map<Integer, Got> got = new HashMap<>();
        ForkWindow window = monitor.begin();
        boolean[] anyDisturbed = {false};
        MachineState machine;
        try {
            workers.fork(run.target, run.settings, cells.stream().map(c -> c.spec).toList(), window, run.listener, new WorkerProcess.Sink() {
                @Override
                public void hello(WorkerEvent.Hello hello) {
                    run.hello(hello);
                }

                @Override
                public void cell(int index, CellResult result, Double idealPerOneThread, long pid) {
                    CellResult numbered = result.ofFork(number, pid);
                    CellForks cell = byIndex.get(index);
                    if (!group || cell == null) {
                        got.put(index, new Got(numbered, idealPerOneThread, pid));
                        return;
                    }
                    MachineState stretch = window.cut(pid);
                    String why = numbered.status() == CellStatus.OK ? Disturbance.judge(stretch, number + 1) : null;
                    anyDisturbed[0] |= why != null;
                    cell.add(numbered, new ForkRecord(number, round, pid, stretch, why), idealPerOneThread);
                    recorded.accept(cell);
                }
            });
            machine = window.end();
        } catch (WorkerFailedException | CancelledException | InterruptedException | IOException | RuntimeException e) {
            window.abandon();
            throw e;
        }
        String disturbed = group ? null : Disturbance.judge(machine, number + 1);
        for (var e : got.entrySet()) {
            CellForks cell = byIndex.get(e.getKey());
            if (cell == null) continue;
            Got g = e.getValue();
            // a cell that did not run (unsupported, failed) is not disturbed by the machine: its status says why
            String why = g.result().status() == CellStatus.OK ? disturbed : null;
            cell.add(g.result(), new ForkRecord(number, round, g.pid(), machine, why), g.perOneThread());
            recorded.accept(cell);
        }
        if (disturbed != null || anyDisturbed[0]) monitor.forget();
        run.listener.forkDone(number, disturbed);
    }
}
