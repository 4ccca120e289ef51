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
        void iteration(int cellIndex, String phase, int iteration, int of);
    }

    private final Meter meter = new Meter();
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
        quiesce();
        try (WorkloadInstance instance = workload.prepare(workloadParams, Workload.Env.parent(processors))) {
            int concurrency = model.concurrency(instance, modelParams, processors);
            String incompatible = workload.incompatibility(model, workloadParams, concurrency);
            if (incompatible != null) return notRun(cell, CellStatus.UNSUPPORTED, incompatible);

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
            // A CPU-bound ideal needs the run's one T₁, which only the supervisor knows (it measured it in forks of its
            // own): this worker reports the ideal as a multiple of T₁, and the supervisor fills it in.
            if (workload.idealUsesOneThreadTime()) {
                double perOneThread = instance.idealNanos(new IdealContext(concurrency, processors, () -> ONE_THREAD_UNIT))
                        / (double) ONE_THREAD_UNIT;
                return new Measured(new CellResult(cell.workload(), cell.model(), cell.params(), cell.modelParams(), CellStatus.OK,
                        concurrency, null, instance.idealFormula(), null, warmups, samples, meter.sources(), null), perOneThread);
            }
            long ideal = instance.idealNanos(new IdealContext(concurrency, processors, () -> {
                throw new IllegalStateException(workload.id() + " uses T₁ in its ideal but does not say so (idealUsesOneThreadTime)");
            }));
            return new Measured(new CellResult(cell.workload(), cell.model(), cell.params(), cell.modelParams(), CellStatus.OK,
                    concurrency, ideal < 0 ? null : ideal, instance.idealFormula(), null, warmups, samples, meter.sources(), null), null);
        } catch (WrongResultException e) {
            return notRun(cell, CellStatus.FAILED, "wrong result: " + e.getMessage());
        } catch (Throwable t) {
            return notRun(cell, CellStatus.FAILED, describe(t));
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
