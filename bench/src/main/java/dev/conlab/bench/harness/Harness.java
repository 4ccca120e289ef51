package dev.conlab.bench.harness;

import dev.conlab.bench.Catalog;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.IdealContext;
import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.Model;
import dev.conlab.bench.Params;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Settings;
import dev.conlab.bench.TaskLatencies;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.util.ArrayList;

/**
 * Measures cells inside one JVM: prepare (untimed), warm-ups, measured iterations, validation of every
 * iteration's result (untimed), then the ideal. A task failure or a wrong result fails the cell, never the
 * run. Hung cells are the fork supervisor's business: it kills this JVM. T₁, which CPU-bound ideals need, is the
 * supervisor's too: it measures it once per run (see {@link dev.conlab.bench.OneThread}).
 */
public final class Harness {

    /** Told about every iteration, so that long cells show progress. */
    public interface Listener {
        void iteration(int cellIndex, Phase phase, int iteration, int of);
    }

    private final Meter meter = new Meter();
    private final Memory memory = new Memory();
    private final int processors = Runtime.getRuntime().availableProcessors();

    /** The T₁ a worker reports CPU-bound ideals against: their ideal is reported as a multiple of it. */
    private static final long ONE_THREAD_UNIT = 1_000_000_000_000L;

    /**
     * A measured cell, and for a CPU-bound ideal its size as a multiple of T₁ (the cell's idealNanos is then null until
     * the supervisor, who knows the run's T₁, fills it in).
     */
    public record Measured(CellResult result, Double idealPerOneThread) {
    }

    /** Measures a cell of the catalog; an id the catalog does not know fails the cell. */
    public Measured measure(CellSpec cell, Settings settings, Listener listener) {
        Model model;
        Workload workload;
        try {
            model = Catalog.model(cell.model());
            workload = Catalog.workload(cell.workload());
        } catch (InvalidSpecException e) {
            return notRun(cell, CellStatus.FAILED, e.getMessage());
        }
        return measure(workload, model, cell, settings, listener);
    }

    /** The cell alone (its CPU-bound ideal, if any, left empty). */
    public CellResult run(CellSpec cell, Settings settings, Listener listener) {
        return measure(cell, settings, listener).result();
    }

    private static Measured notRun(CellSpec cell, CellStatus status, String error) {
        return new Measured(CellResult.notRun(cell, status, error), null);
    }

    /** Measures {@code workload} under {@code model} with the cell's parameters (tests pass fixtures here). */
    public Measured measure(Workload workload, Model model, CellSpec cell, Settings settings, Listener listener) {
        String unsupported = model.unsupportedReason();
        if (unsupported != null) return notRun(cell, CellStatus.UNSUPPORTED, unsupported);

        Params workloadParams = Params.fromJson(cell.params());
        Params modelParams = Params.fromJson(cell.modelParams());
        Model.Context context = new Model.Context(processors, workload, workloadParams);
        Pinning pinning = Pinning.of(model);
        quiesce();
        try (WorkloadInstance instance = workload.prepare(workloadParams, Workload.Env.parent(processors))) {
            int modelConcurrency = model.concurrency(instance, modelParams, processors);
            String incompatible = workload.incompatibility(model, workloadParams, modelConcurrency);
            if (incompatible != null) return notRun(cell, CellStatus.UNSUPPORTED, incompatible);
            // a ForkJoinPool compensates workers blocked on a future: then every task may wait at once (FINDINGS §11)
            boolean compensated = model.addsThreadsWhenTasksBlock() && instance.blocksOnFutures() && modelConcurrency < instance.taskCount();
            int concurrency = compensated ? instance.taskCount() : modelConcurrency;
            String formula = instance.idealFormula() == null ? null : instance.idealFormula() + (compensated
                    ? " (k = tasks: the ForkJoinPool adds a thread for each worker blocked on a future, beyond its parallelism of "
                    + modelConcurrency + ")" : "");
            String tooLong = tooLongForTimeout(workload, instance, concurrency, settings);
            if (tooLong != null) return notRun(cell, CellStatus.UNSUPPORTED, tooLong);

            var warmups = new ArrayList<Long>();
            long started = System.nanoTime();
            int runs = settings.warmups() + settings.iterations();
            for (int i = 0; i < settings.warmups(); i++) {
                listener.iteration(cell.index(), Phase.WARMUP, i + 1, settings.warmups());
                warmups.add(once(model, instance, modelParams, context, pinning).wallNanos());
                String hopeless = hopeless(warmups.get(0), started, runs - i - 1, settings);
                if (hopeless != null) return notRun(cell, CellStatus.TIMEOUT, hopeless);
            }
            var samples = new ArrayList<Sample>();
            for (int i = 0; i < settings.iterations(); i++) {
                listener.iteration(cell.index(), Phase.MEASURE, i + 1, settings.iterations());
                samples.add(once(model, instance, modelParams, context, pinning));
                if (warmups.isEmpty() && i == 0) {
                    String hopeless = hopeless(samples.get(0).wallNanos(), started, settings.iterations() - 1, settings);
                    if (hopeless != null) return notRun(cell, CellStatus.TIMEOUT, hopeless);
                }
            }
            // A CPU-bound ideal needs the run's one T₁, which only the supervisor knows (it measured it in forks of its
            // own): this worker reports the ideal as a multiple of T₁, and the supervisor fills it in.
            if (workload.idealUsesOneThreadTime()) {
                long perUnit = instance.idealNanos(new IdealContext(concurrency, processors, () -> ONE_THREAD_UNIT));
                // negative: no ideal from here (a task of yours whose kind the supervisor learns from T₁)
                Double perOneThread = perUnit < 0 ? null : perUnit / (double) ONE_THREAD_UNIT;
                return new Measured(new CellResult(cell.workload(), cell.model(), cell.params(), cell.modelParams(), CellStatus.OK,
                        concurrency, null, formula, null, warmups, samples, sources(instance, model, pinning), null), perOneThread);
            }
            long ideal = instance.idealNanos(new IdealContext(concurrency, processors, () -> {
                throw new IllegalStateException(workload.id() + " uses T₁ in its ideal but does not say so (idealUsesOneThreadTime)");
            }));
            return new Measured(new CellResult(cell.workload(), cell.model(), cell.params(), cell.modelParams(), CellStatus.OK,
                    concurrency, ideal < 0 ? null : ideal, formula, null, warmups, samples, sources(instance, model, pinning), null), null);
        } catch (WrongResultException e) {
            return notRun(cell, CellStatus.FAILED, "wrong result: " + e.getMessage());
        } catch (Throwable t) {
            return notRun(cell, CellStatus.FAILED, describe(t));
        }
    }

    /**
     * A cell whose physical limit alone, over all its iterations, exceeds the cell timeout cannot finish: a sweep's large
     * points under a model that runs a few tasks at a time (100,000 one-second sleeps on a pool of 2). It is not run,
     * and says why, instead of timing out after minutes.
     */
    private String tooLongForTimeout(Workload workload, WorkloadInstance instance, int concurrency, Settings settings) {
        if (workload.idealUsesOneThreadTime()) return null;
        long ideal = instance.idealNanos(new IdealContext(concurrency, processors, () -> 0L));
        long runs = settings.warmups() + settings.iterations();
        long timeout = settings.cellTimeoutSeconds() * 1_000_000_000L;
        if (ideal <= 0 || ideal > Long.MAX_VALUE / Math.max(1, runs) || ideal * runs <= timeout) return null;
        return String.format(java.util.Locale.ROOT, "cannot finish within the cell timeout of %d s: its ideal alone is %.1f s per iteration "
                + "(%s, k = %d) × %d iterations; raise --cell-timeout to measure it", settings.cellTimeoutSeconds(), ideal / 1e9,
                instance.idealFormula(), concurrency, runs);
    }

    /**
     * A cell whose first iteration says the rest cannot finish within the cell timeout (a million platform threads started
     * one by one, at a minute an iteration) stops now, as a timeout that says so, instead of being killed minutes later:
     * where a model breaks is a result, and a sweep should not wait for it. Only when the estimate exceeds the
     * timeout by a quarter, since first iterations are the slowest.
     */
    private static String hopeless(long firstIterationNanos, long startedNanos, int remaining, Settings settings) {
        if (remaining <= 0) return null;
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        double estimate = elapsed + remaining * firstIterationNanos / 1e9;
        if (estimate <= 1.25 * settings.cellTimeoutSeconds()) return null;
        return String.format(java.util.Locale.ROOT, "stopped after its first iteration took %.1f s: %d more would end about %.0f s in, past "
                + "the cell timeout of %d s; raise --cell-timeout to measure it", firstIterationNanos / 1e9, remaining, estimate,
                settings.cellTimeoutSeconds());
    }

    private Sample once(Model model, WorkloadInstance instance, Params modelParams, Model.Context context, Pinning pinning)
            throws Exception {
        instance.reset();
        TaskLatencies latencies = instance.latencies();
        memory.resetPeak();
        Long rssBefore = memory.rss();
        pinning.start();
        Meter.Mark mark = meter.mark();
        if (latencies != null) latencies.start();
        long start = System.nanoTime();
        Model.Execution execution = model.execute(instance, modelParams, context);
        long wall = System.nanoTime() - start;
        long[] latency = latencies == null ? null : latencies.stop();
        Sample s = meter.sample(mark, wall, execution.childCpuNanos());
        long heapAfter = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Long peak = memory.peak();
        long[] pinned = pinning.stop();
        instance.validate(execution.results());
        return new Sample(s.wallNanos(), s.cpuNanos(), s.allocBytes(), s.gcCount(), s.gcNanos(), s.peakThreads(), s.ctxSwitchesVoluntary(),
                s.ctxSwitchesInvoluntary(), null, rssBefore, peak, heapAfter, latency == null ? null : latency[0],
                latency == null ? null : latency[1], latency == null ? null : latency[2], pinned == null ? null : pinned[0],
                pinned == null ? null : pinned[1]);
    }

    /** Where each figure of this cell comes from: the meter's, and the per-task figures that exist for it (null: none). */
    private java.util.Map<String, String> sources(WorkloadInstance instance, Model model, Pinning pinning) {
        var map = new java.util.LinkedHashMap<>(meter.sources());
        map.put("peakRss", memory.source());
        map.put("heapAfter", "MemoryMXBean heap used right after the iteration, no collection forced");
        map.put("latency", instance.latencies() == null ? "not measured: only the waiting workloads (sleep-io, http-io, pinned-io) record "
                + "each task's latency" : model.separateMemory() ? "not measured: the tasks run in child JVMs, whose clocks and histograms "
                + "this worker does not see" : "HdrHistogram (3 significant digits) of each task's time from the iteration's start to its completion");
        map.put("pinned", pinning.source());
        return map;
    }

    /**
     * Lets the previous cell's leftovers settle before the next one: a full GC, then a wait (at most 2 s)
     * until the JIT compilers have been idle for 60 ms, so that background compilation of earlier code
     * does not compete with this cell on a small machine.
     */
    private static void quiesce() {
        System.gc();
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long deadline = System.nanoTime() + 2_000_000_000L;
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    /** The exception and its causes on one line: what crosses the fork boundary and reaches the user. */
    public static String describe(Throwable t) {
        var text = new StringBuilder();
        Throwable cause = t;
        int depth = 0;
        while (cause != null && depth++ < 6) {
            if (text.length() > 0) text.append(" <- caused by ");
            text.append(cause.getClass().getName());
            if (cause.getMessage() != null) text.append(": ").append(cause.getMessage());
            StackTraceElement[] trace = cause.getStackTrace();
            if (trace.length > 0) text.append(" (at ").append(trace[0]).append(')');
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return text.toString();
    }
}
