package dev.conlab.server.queue;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sitting;
import dev.conlab.bench.Vocabulary;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import dev.conlab.bench.fork.Pythons;
import dev.conlab.bench.fork.Target;
import dev.conlab.db.RunStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One claimed job measured to its end, the same on the server's own host and on an agent: a run, or the runs of an
 * interleaved sitting on one machine (their forks in rounds). It resolves each run's JDK or interpreter, arms the job's
 * limit, measures, and reports through a {@link Reporter} — the store on the server, HTTP on an agent — the worker's hello,
 * each cell as it finishes, and each run's document or its end: {@code failed} (the worker could not run, the limit
 * passed), {@code cancelled} (asked to), {@code interrupted} (the host stops). A run given up by its lease reports nothing.
 */
public final class RunExecution {

    /** Where a job's news goes. */
    public interface Reporter {
        void started(long runId, MachineInfo machine, JvmInfo jvm, PythonInfo python);

        void cell(long runId, int index, CellResult cell);

        /** The run is done: its document. */
        void document(long runId, RunDocument document);

        /** The run ended without a document: {@code failed}, {@code cancelled} or {@code interrupted}, and why. */
        void end(long runId, RunStatus status, String why);
    }

    public static final String CANCELLED = "cancelled while running; finished cells are kept";
    public static final String INTERRUPTED = "the server stopped while this run was running; its finished cells are kept";

    private final List<ClaimedRun> runs;
    private final Measurer measurer;
    private final JdkCatalog jdks;
    private final Reporter reporter;
    private final ScheduledExecutorService timers;
    private final TimeUnit limitUnit;
    private final long startNanos = System.nanoTime();
    private volatile boolean lost;
    private volatile boolean limitExceeded;
    private volatile boolean interrupted;
    private volatile boolean cancelAsked;
    /** What is measured now, for the progress panel and the heartbeats. */
    private volatile Progress.CurrentCell current;
    private volatile long cellStartNanos;
    private final Map<Long, Integer> finished = new ConcurrentHashMap<>();
    private volatile int cellsFinished;
    private volatile long finishedCellsNanos;

    /**
     * @param timers    where the job's limit is armed
     * @param limitUnit the unit of the runs' limits: seconds, but milliseconds in the queue's unit tests
     */
    public RunExecution(List<ClaimedRun> runs, Measurer measurer, JdkCatalog jdks, Reporter reporter, ScheduledExecutorService timers,
                        TimeUnit limitUnit) {
        if (runs.isEmpty()) throw new IllegalArgumentException("a job has a run");
        this.runs = List.copyOf(runs);
        this.measurer = measurer;
        this.jdks = jdks;
        this.reporter = reporter;
        this.timers = timers;
        this.limitUnit = limitUnit;
    }

    public List<ClaimedRun> runs() {
        return runs;
    }

    public List<Long> runIds() {
        return runs.stream().map(ClaimedRun::id).toList();
    }

    public boolean has(long runId) {
        return runs.stream().anyMatch(r -> r.id() == runId);
    }

    /** Someone asked to cancel it (the dashboard, through the lease): its workers are killed, its runs end cancelled. */
    public void cancel() {
        cancelAsked = true;
        measurer.cancel();
    }

    /** Its lease lapsed and it was given up: it stops and reports nothing. */
    public void lost() {
        lost = true;
        measurer.cancel();
    }

    /** The host stops: it stops, and its runs end interrupted. */
    public void interrupt() {
        interrupted = true;
        measurer.cancel();
    }

    public boolean isLost() {
        return lost;
    }

    public boolean cancelAsked() {
        return cancelAsked;
    }

    public Long workerPid() {
        return measurer.currentPid();
    }

    /** The job's limit: the sum of its runs' (an interleaved sitting measures them all). */
    public long limitSeconds() {
        return runs.stream().mapToLong(ClaimedRun::limitSeconds).sum();
    }

    /**
     * Measures the job to its end and reports it; returns what became of it in a few words ("done", "cancelled", "failed:
     * why"). Interrupted (the thread), it stops its workers, reports its runs interrupted and rethrows.
     */
    public String execute() throws InterruptedException {
        long limit = limitSeconds();
        ScheduledFuture<?> armed = timers.schedule(() -> {
            limitExceeded = true;
            measurer.cancel();
        }, limit, limitUnit);
        try {
            return measure(limit);
        } finally {
            armed.cancel(false);
        }
    }

    private String measure(long limit) throws InterruptedException {
        try {
            if (!interleaved()) {
                ClaimedRun run = runs.get(0);
                Sitting sitting = run.sitting() == null ? null : new Sitting(run.sitting(), 1, false, null, null);
                RunDocument doc = measurer.measure(run.documentId(), target(run), run.spec(), listener(run), sitting);
                reporter.document(run.id(), doc);
                return "done";
            }
            var jobs = new ArrayList<ForkRunner.Job>();
            for (ClaimedRun run : runs) jobs.add(new ForkRunner.Job(run.documentId(), target(run), run.spec(), listener(run)));
            ClaimedRun first = runs.get(0);
            Long seed = first.spec().settings().shuffleSeed() != null ? first.spec().settings().shuffleSeed()
                    : (long) first.documentId().hashCode();
            String sittingId = first.sitting() != null ? first.sitting() : first.documentId();
            var outcomes = measurer.interleave(new Sitting(sittingId, runs.size(), true, seed, null), jobs);
            int failed = 0;
            for (int i = 0; i < outcomes.size(); i++) {
                ForkRunner.Outcome o = outcomes.get(i);
                if (o.document() != null) {
                    reporter.document(runs.get(i).id(), o.document());
                } else {
                    failed++;
                    reporter.end(runs.get(i).id(), RunStatus.FAILED, o.failure());
                }
            }
            return failed == 0 ? "done" : failed + " of " + outcomes.size() + " failed";
        } catch (ForkRunner.CancelledException e) {
            if (lost) return "given up by its lease; stopped without a result";
            if (interrupted) return endAll(RunStatus.INTERRUPTED, INTERRUPTED, "interrupted");
            if (limitExceeded) {
                return endAll(RunStatus.FAILED, "did not finish within the run limit of " + limit + " s; the worker was killed; "
                        + "finished cells are kept", "failed: run limit");
            }
            return endAll(RunStatus.CANCELLED, runs.size() == 1 ? CANCELLED : "cancelled while its sitting was running; finished cells are kept",
                    "cancelled");
        } catch (ForkRunner.WorkerFailedException e) {
            return endAll(RunStatus.FAILED, e.getMessage(), "failed: " + e.getMessage());
        } catch (InterruptedException e) {
            measurer.cancel();
            endAll(RunStatus.INTERRUPTED, INTERRUPTED, "interrupted");
            throw e;
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(RunExecution.class).error("runs {} failed", runIds(), e);
            return endAll(RunStatus.FAILED, "the lab failed to run it: " + e, "failed: " + e);
        }
    }

    private String endAll(RunStatus status, String why, String outcome) {
        for (ClaimedRun run : runs) reporter.end(run.id(), status, why);
        return outcome;
    }

    /** The run's JDK or interpreter on this machine. */
    private Target target(ClaimedRun run) throws ForkRunner.WorkerFailedException {
        boolean python = Vocabulary.PYTHON.equals(run.runtime());
        try {
            if (python) return Pythons.discover().select(List.of(run.home())).get(0);
            for (Jdk jdk : jdks.all()) if (jdk.home().toString().equals(run.home())) return jdk;
            return jdks.select(List.of(run.home())).get(0);
        } catch (InvalidSpecException e) {
            throw new ForkRunner.WorkerFailedException("the run's " + (python ? "Python interpreter " : "JDK ") + run.home()
                    + " is no longer installed on this machine");
        }
    }

    private ForkRunner.Listener listener(ClaimedRun run) {
        return new ForkRunner.Listener() {
            @Override
            public void started(Target target, MachineInfo machine, JvmInfo jvm, PythonInfo python) {
                reporter.started(run.id(), machine, jvm, python);
            }

            @Override
            public void cellStarted(int index, String workload, String model) {
                cellStartNanos = System.nanoTime();
                current = new Progress.CurrentCell(index, workload, model, dev.conlab.bench.harness.Phase.STARTING, 0, 0);
            }

            @Override
            public void iteration(int index, dev.conlab.bench.harness.Phase phase, int iteration, int of) {
                Progress.CurrentCell now = current;
                if (now != null) current = new Progress.CurrentCell(now.index(), now.workload(), now.model(), phase, iteration, of);
            }

            @Override
            public void cellFinished(int index, CellResult result) {
                reporter.cell(run.id(), index, result);
                finished.merge(run.id(), 1, Integer::sum);
                finishedCellsNanos = System.nanoTime() - startNanos;
                cellsFinished++;
                current = null;
            }
        };
    }

    /** The cell measured now and its iteration, or null between cells. */
    public Progress.CurrentCell current() {
        return current;
    }

    /** Whether the job is an interleaved sitting (its runs' forks in rounds) rather than one run measured cell by cell. */
    private boolean interleaved() {
        return runs.size() > 1 || runs.get(0).spec().settings().interleaved();
    }

    /** Seconds since the job started, to a tenth. */
    public double elapsedSeconds() {
        return Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
    }

    /**
     * The rest of the job in seconds: the mean time of its finished cells (their forks and T₁ included) × the cells left,
     * less what the current one took; null until a cell has finished, and for an interleaved sitting, whose cells end
     * together in its last rounds (an estimate from its first cells would read hours).
     */
    public Double estimateSeconds() {
        int done = cellsFinished;
        if (done == 0 || interleaved()) return null;
        int total = runs.stream().mapToInt(r -> r.spec().cells().size()).sum();
        double perCell = finishedCellsNanos / 1e9 / done;
        double sinceLast = (System.nanoTime() - startNanos - finishedCellsNanos) / 1e9;
        return Math.max(0, Math.round(((total - done) * perCell - sinceLast) * 10) / 10.0);
    }

    /** Cells of this run finished so far by this job. */
    public int cellsFinished(long runId) {
        return finished.getOrDefault(runId, 0);
    }
}
