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
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;
import dev.conlab.bench.stats.Stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures cells inside one JVM: prepare (untimed), warm-ups, measured iterations, validation of every
 * iteration's result (untimed), then the ideal. A task failure or a wrong result fails the cell, never the
 * run. Hung cells are the fork supervisor's business: it kills this JVM.
 */
public final class Harness {

    /** Told about every iteration, so that long cells show progress. */
    public interface Listener {
        void iteration(int cellIndex, String phase, int iteration, int of);
    }

    private final Meter meter = new Meter();
    private final int processors = Runtime.getRuntime().availableProcessors();
    /** T₁ per workload and parameters, measured once per JVM. */
    private final Map<String, Long> oneThread = new HashMap<>();

    /** Measures a cell of the catalog; an id the catalog does not know fails the cell. */
    public CellResult run(CellSpec cell, Settings settings, Listener listener) {
        Model model;
        Workload workload;
        try {
            model = Catalog.model(cell.model());
            workload = Catalog.workload(cell.workload());
        } catch (InvalidSpecException e) {
            return CellResult.notRun(cell, CellStatus.FAILED, e.getMessage());
        }
        return run(workload, model, cell, settings, listener);
    }

    /** Measures {@code workload} under {@code model} with the cell's parameters (tests pass fixtures here). */
    public CellResult run(Workload workload, Model model, CellSpec cell, Settings settings, Listener listener) {
        String unsupported = model.unsupportedReason();
        if (unsupported != null) return CellResult.notRun(cell, CellStatus.UNSUPPORTED, unsupported);

        Params workloadParams = Params.fromJson(cell.params());
        Params modelParams = Params.fromJson(cell.modelParams());
        Model.Context context = new Model.Context(processors, workload, workloadParams);
        quiesce();
        try (WorkloadInstance instance = workload.prepare(workloadParams, Workload.Env.parent(processors))) {
            int concurrency = model.concurrency(instance, modelParams, processors);
            String incompatible = workload.incompatibility(model, workloadParams, concurrency);
            if (incompatible != null) return CellResult.notRun(cell, CellStatus.UNSUPPORTED, incompatible);

            var warmups = new ArrayList<Long>();
            for (int i = 0; i < settings.warmups(); i++) {
                listener.iteration(cell.index(), "warmup", i + 1, settings.warmups());
                warmups.add(once(model, instance, modelParams, context).wallNanos());
            }
            var samples = new ArrayList<Sample>();
            for (int i = 0; i < settings.iterations(); i++) {
                listener.iteration(cell.index(), "measure", i + 1, settings.iterations());
                samples.add(once(model, instance, modelParams, context));
            }
            String key = workload.id() + cell.params();
            if (model.baseline()) oneThread.put(key, median(samples));
            Long[] usedOneThread = new Long[1];
            long ideal = instance.idealNanos(new IdealContext(concurrency, processors, () -> {
                usedOneThread[0] = oneThread.computeIfAbsent(key, k -> calibrate(instance));
                return usedOneThread[0];
            }));
            return new CellResult(cell.workload(), cell.model(), cell.params(), cell.modelParams(), CellStatus.OK,
                    concurrency, ideal < 0 ? null : ideal, instance.idealFormula(), usedOneThread[0], warmups, samples,
                    meter.sources(), null);
        } catch (WrongResultException e) {
            return CellResult.notRun(cell, CellStatus.FAILED, "wrong result: " + e.getMessage());
        } catch (Throwable t) {
            return CellResult.notRun(cell, CellStatus.FAILED, describe(t));
        }
    }

    private Sample once(Model model, WorkloadInstance instance, Params modelParams, Model.Context context) throws Exception {
        instance.reset();
        Meter.Mark mark = meter.mark();
        long start = System.nanoTime();
        Model.Execution execution = model.execute(instance, modelParams, context);
        long wall = System.nanoTime() - start;
        Sample sample = meter.sample(mark, wall, execution.childCpuNanos());
        instance.validate(execution.results());
        return sample;
    }

    /**
     * T₁: the median of five one-thread runs after one warm-up, all outside any measured iteration. The median,
     * like every headline figure here: single-thread times on a small VM vary by ±10 %, and the fastest
     * outlier would make every ideal unreachable.
     */
    private static long calibrate(WorkloadInstance instance) {
        try {
            long[] times = new long[5];
            instance.reset();
            instance.runOneThread();
            for (int i = 0; i < times.length; i++) {
                instance.reset();
                long start = System.nanoTime();
                instance.runOneThread();
                times[i] = System.nanoTime() - start;
            }
            return (long) Stats.summarize(times).median();
        } catch (Exception e) {
            throw new IllegalStateException("measuring the one-thread time T₁ failed: " + describe(e), e);
        }
    }

    private static long median(List<Sample> samples) {
        return (long) Stats.summarize(samples.stream().mapToLong(Sample::wallNanos).toArray()).median();
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
