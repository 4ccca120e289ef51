package dev.conlab.bench.fork;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.ForkMode;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.OneThread;
import dev.conlab.bench.Params;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Settings;
import dev.conlab.bench.Sitting;
import dev.conlab.bench.TaskInfo;
import dev.conlab.bench.Vocabulary;
import dev.conlab.bench.harness.Probe;
import dev.conlab.bench.harness.WorkerEvent;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.bench.stats.Summary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One target's run (a JDK or an interpreter) and its plan of forks: first a T₁ unit per workload and parameters whose ideal
 * needs it (the baseline model's cell, the plan's own when it has it), then the other cells in units of the fork mode (a
 * unit is what one worker measures in one fork). It keeps what the first worker said of the machine and runtime, finishes
 * each cell — its ideal from T₁, then the listener hears of it — and assembles the document.
 */
final class TargetRun {

    /** The cells one worker measures in one fork. */
    static final class Unit {
        final TargetRun run;
        final List<CellForks> cells;
        final boolean oneThread;
        int nextFork;

        Unit(TargetRun run, List<CellForks> cells, boolean oneThread) {
            this.run = run;
            this.cells = cells;
            this.oneThread = oneThread;
        }

        boolean done() {
            return cells.stream().allMatch(c -> c.done(run.settings));
        }

        /** Cells of a sitting whose forks pair: the same key on every target. */
        String key() {
            return String.join(";", cells.stream().map(CellForks::key).toList());
        }
    }

    final String documentId;
    final Target target;
    final RunSpec spec;
    final Settings settings;
    final ForkRunner.Listener listener;
    final String startedAt = Instant.now().toString();
    MachineInfo machine;
    JvmInfo jvm;
    PythonInfo python;
    private boolean started;
    final List<Unit> oneThreadUnits = new ArrayList<>();
    final List<Unit> cellUnits = new ArrayList<>();
    /** T₁ per workload and parameters: its unit, then its measurement once finished. */
    private final Map<String, Unit> oneThreadUnitOf = new HashMap<>();
    private final Map<String, OneThread> oneThread = new LinkedHashMap<>();
    private final Map<Integer, CellResult> results = new TreeMap<>();
    private final Map<Integer, CellForks> finishedCells = new HashMap<>();
    /** Set when the target's worker could not run at all. */
    String failure;

    TargetRun(String documentId, Target target, RunSpec spec, ForkRunner.Listener listener) {
        this.documentId = documentId;
        this.target = target;
        this.spec = spec;
        this.settings = spec.settings();
        this.listener = listener;
        plan();
    }

    /** Cells of one workload and parameters share a T₁. */
    static String oneThreadKey(String workload, Map<String, Object> params) {
        return workload + Params.fromJson(params).values();
    }

    private void plan() {
        Vocabulary vocabulary = target.vocabulary();
        String baseline = vocabulary.baseline();
        var forOneThread = new java.util.HashSet<Integer>();
        int synthetic = 0;
        for (CellSpec cell : spec.cells()) {
            boolean needed = vocabulary.findWorkload(cell.workload()).map(Vocabulary.Entry::idealUsesOneThreadTime).orElse(false);
            String key = oneThreadKey(cell.workload(), cell.params());
            if (!needed || oneThreadUnitOf.containsKey(key)) continue;
            CellSpec base = spec.cells().stream().filter(c -> c.model().equals(baseline) && oneThreadKey(c.workload(), c.params()).equals(key))
                    .findFirst().orElse(new CellSpec(-1 - synthetic++, cell.workload(), baseline, cell.params(), Map.of()));
            Unit unit = new Unit(this, List.of(new CellForks(base)), true);
            oneThreadUnits.add(unit);
            oneThreadUnitOf.put(key, unit);
            if (base.index() >= 0) forOneThread.add(base.index());
        }
        List<CellSpec> rest = new ArrayList<>(spec.cells().stream().filter(c -> !forOneThread.contains(c.index())).toList());
        if (settings.shuffleSeed() != null) Collections.shuffle(rest, new Random(settings.shuffleSeed()));
        for (List<CellSpec> group : groups(rest, settings.effectiveForkMode(), target)) {
            cellUnits.add(new Unit(this, group.stream().map(CellForks::new).toList(), false));
        }
    }

    /**
     * The workers' groups: every cell alone, every workload's cells together, or all of them; on Python a gevent cell
     * of a model that patches the whole process (gevent's monkey-patching; catalog.json's {@code ownProcess}) always has
     * a worker of its own.
     */
    static List<List<CellSpec>> groups(List<CellSpec> cells, ForkMode mode, Target target) {
        if (target instanceof Python && mode != ForkMode.CELL) {
            var own = dev.conlab.bench.PythonCatalog.ownProcessModels();
            var patched = cells.stream().filter(c -> own.contains(c.model())).toList();
            if (!patched.isEmpty()) {
                var groups = new ArrayList<>(groups(cells.stream().filter(c -> !own.contains(c.model())).toList(), mode, target));
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

    List<Unit> units() {
        var all = new ArrayList<Unit>(oneThreadUnits);
        all.addAll(cellUnits);
        return all;
    }

    /** The first worker said what it runs on: {@code jvm} for a JDK, {@code python} for an interpreter. */
    void hello(WorkerEvent.Hello hello) {
        if (started) return;
        started = true;
        // a Python worker leaves the machine to the lab, which runs on the same host
        machine = hello.machine() != null ? hello.machine() : Probe.machine();
        jvm = hello.jvm();
        python = hello.python();
        listener.started(target, machine, jvm, python);
    }

    /** A T₁ unit has its forks: T₁ is known, and the plan's own baseline cell (if it was the measurement) is finished. */
    void finishOneThread(Unit unit) {
        CellForks forks = unit.cells.get(0);
        if (finishedCells.containsKey(forks.spec.index()) && forks.spec.index() >= 0) return;
        CellResult measured = forks.result(settings);
        String key = oneThreadKey(forks.spec.workload(), forks.spec.params());
        if (oneThread.containsKey(key)) return;
        oneThread.put(key, oneThread(forks.spec, measured));
        if (forks.spec.index() >= 0) finish(forks, measured);
    }

    boolean oneThreadFinished(CellSpec cell) {
        Unit unit = oneThreadUnitOf.get(oneThreadKey(cell.workload(), cell.params()));
        return unit == null || oneThread.containsKey(oneThreadKey(cell.workload(), cell.params()));
    }

    /** Finishes every cell of the unit that is {@code ready} and not finished yet (its T₁ must be known). */
    void finishCells(Unit unit, java.util.function.Predicate<CellForks> ready) {
        for (CellForks cell : unit.cells) {
            if (finishedCells.containsKey(cell.spec.index()) || !cell.measured() || !ready.test(cell)) continue;
            if (!oneThreadFinished(cell.spec)) continue;
            finish(cell, cell.result(settings));
        }
    }

    /** A cell is done: its CPU-bound ideal from the run's T₁, then the listener hears of it. */
    private void finish(CellForks forks, CellResult result) {
        finishedCells.put(forks.spec.index(), forks);
        CellResult cell = result;
        Double perOneThread = forks.idealPerOneThread;
        if (cell.status() == CellStatus.OK && perOneThread == null && cell.idealNanos() == null) {
            // a task of yours that does not state its kind: learnt from T₁'s CPU share, and its ideal with it
            OneThread t1 = oneThread.get(oneThreadKey(cell.workload(), cell.params()));
            var learnt = t1 == null ? null : dev.conlab.bench.TaskWorkload.learnt(cell, t1,
                    jvm != null ? jvm.availableProcessors() : python != null ? python.availableProcessors() : null);
            if (learnt != null) cell = cell.withIdeal(learnt.idealNanos(), learnt.formula(), t1.nanos());
        }
        if (cell.status() == CellStatus.OK && perOneThread != null) {
            OneThread t1 = oneThread.get(oneThreadKey(cell.workload(), cell.params()));
            cell = t1 == null
                    ? cell.withIdeal(null, cell.idealFormula() + " (T₁ could not be measured: its " + target.vocabulary().baseline()
                            + " cell did not finish)", null)
                    : cell.withIdeal(Math.round(t1.nanos() * perOneThread), cell.idealFormula(), t1.nanos());
        }
        results.put(forks.spec.index(), cell);
        listener.cellFinished(forks.spec.index(), cell);
    }

    /** T₁ from the baseline's measurement: the median of the clean forks' samples, with the interval the statistics give it. */
    private OneThread oneThread(CellSpec base, CellResult measured) {
        if (measured == null || measured.status() != CellStatus.OK || measured.samples().isEmpty()) return null;
        Summary s = CellSummary.wall(measured);
        List<Sample> clean = measured.cleanSamples();
        int forks = (int) clean.stream().map(Sample::fork).distinct().count();
        int left = measured.disturbedForks().size();
        String method = "the " + base.model() + " model's own code path in " + (forks == 1 ? "its own fresh fork" : forks + " fresh forks")
                + ", " + settings.warmups() + " warm-up(s) + " + settings.iterations() + " iteration(s) each, as every cell; T₁ = the median of all "
                + clean.size() + " samples" + (left > 0 && clean.size() < measured.samples().size() ? " of its clean forks (" + left
                + " disturbed fork" + (left == 1 ? "" : "s") + " left out)" : "") + "; interval: " + s.interval();
        return new OneThread(base.workload(), base.params(), Math.round(s.median()), s.ciLow(), s.ciHigh(), forks, clean.size(), method,
                settings.interleaved() ? roundMeans(measured) : null, cpuShare(clean));
    }

    /** CPU time ÷ wall time, the medians of the samples that measured both; null when none did. */
    static Double cpuShare(List<Sample> samples) {
        double[] cpu = samples.stream().filter(x -> x.cpuNanos() != null).mapToDouble(Sample::cpuNanos).sorted().toArray();
        double[] wall = samples.stream().filter(x -> x.cpuNanos() != null).mapToDouble(Sample::wallNanos).sorted().toArray();
        if (cpu.length == 0 || wall[wall.length / 2] <= 0) return null;
        return Math.round(1000.0 * cpu[cpu.length / 2] / wall[wall.length / 2]) / 1000.0;
    }

    /** Per round, the geometric mean of the clean fork's iterations. */
    static List<OneThread.RoundMean> roundMeans(CellResult cell) {
        return dev.conlab.bench.stats.RatioTest.roundMeans(cell).entrySet().stream()
                .map(e -> new OneThread.RoundMean(e.getKey(), e.getValue())).toList();
    }

    RunDocument document(Sitting sitting) {
        var ordered = new ArrayList<CellResult>();
        for (CellSpec cell : spec.cells()) ordered.add(results.get(cell.index()));
        List<OneThread> t1 = oneThread.values().stream().filter(java.util.Objects::nonNull).toList();
        return new RunDocument(RunDocument.SCHEMA, documentId, startedAt, Instant.now().toString(), spec.suite(), machine, jvm, settings,
                ordered, List.copyOf(t1), spec.sweeps().isEmpty() ? null : spec.sweeps(), python, null, sitting,
                TaskInfo.of(ordered.stream().map(CellResult::workload).toList()));
    }
}
