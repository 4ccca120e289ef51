package dev.conlab.server.queue;

import dev.conlab.db.QueueStore.QueuedRun;
import dev.conlab.db.RunStatus;

import java.util.concurrent.CountDownLatch;

/** What the runner is doing now — the run, its measurer, its current cell and iteration — and the progress it makes of it. */
final class ProgressTracker {

    /** The run being measured now. */
    static final class Active {
        final QueuedRun run;
        final Measurer measurer;
        final long startNanos = System.nanoTime();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile boolean limitExceeded;
        /** The run was given up (its lease lapsed): it stops and writes nothing. */
        volatile boolean lost;
        volatile Integer cellIndex;
        volatile String workload;
        volatile String model;
        volatile String phase;
        volatile int iteration;
        volatile int iterations;
        volatile long cellStartNanos;
        volatile int cellsFinished;
        volatile long finishedCellsNanos;

        Active(QueuedRun run, Measurer measurer) {
            this.run = run;
            this.measurer = measurer;
        }

        void cellStarted(int index, String workloadId, String modelId) {
            cellStartNanos = System.nanoTime();
            workload = workloadId;
            model = modelId;
            phase = "starting";
            iteration = 0;
            iterations = 0;
            cellIndex = index;
        }

        void iteration(String phaseName, int number, int of) {
            phase = phaseName;
            iteration = number;
            iterations = of;
        }

        /** A cell is done (all its forks). */
        void cellFinished() {
            finishedCellsNanos = System.nanoTime() - startNanos;
            cellsFinished++;
            cellIndex = null;
        }
    }

    private volatile Active active;

    /** What an agent last said of the run it measures (in its heartbeat). */
    record Remote(Progress.CurrentCell cell, double elapsedSeconds, Double estimateSeconds, Long workerPid) {
    }

    private final java.util.Map<Long, Remote> remote = new java.util.concurrent.ConcurrentHashMap<>();

    /** An agent's heartbeat told how far its run is. */
    void remote(long runId, Remote progress) {
        if (remote.size() > 10_000) remote.clear(); // runs that ended without a word: never grow without bound
        remote.put(runId, progress);
    }

    void forget(long runId) {
        remote.remove(runId);
    }

    Active begin(QueuedRun run, Measurer measurer) {
        Active now = new Active(run, measurer);
        active = now;
        return now;
    }

    void end(Active now) {
        if (active == now) active = null;
        now.ended.countDown();
    }

    /** The run measured now, or null. */
    Active activeRun() {
        return active;
    }

    /** The run measured now, if it is this one. */
    Active active(long runId) {
        Active now = active;
        return now != null && now.run.id() == runId ? now : null;
    }

    /** Cells done / total, and for the run measured now the current cell, the time so far and an estimate of the rest. */
    Progress progress(QueuedRun run) {
        Active now = active(run.id());
        Remote far = now == null && run.status().active() && run.status() != RunStatus.QUEUED ? remote.get(run.id()) : null;
        if (far != null) {
            double fraction = run.cellsDone();
            if (far.cell() != null && far.cell().of() > 0) fraction += Math.min(0.99, far.cell().iteration() / (double) (far.cell().of() + 1));
            return new Progress.Measuring(run.cellsDone(), run.cellsTotal(),
                    run.cellsTotal() == 0 ? 0.0 : Math.min(1.0, fraction / run.cellsTotal()), far.elapsedSeconds(), far.estimateSeconds(),
                    far.cell(), far.workerPid());
        }
        if (now == null || run.status() == RunStatus.QUEUED || !run.status().active()) {
            double fraction = run.cellsTotal() == 0 ? 0.0 : Math.min(1.0, run.cellsDone() / (double) run.cellsTotal());
            return new Progress.Waiting(run.cellsDone(), run.cellsTotal(), fraction);
        }
        long nanos = System.nanoTime();
        double elapsed = (nanos - now.startNanos) / 1e9;
        int done = now.cellsFinished;
        double fraction = done;
        if (now.cellIndex != null && now.iterations > 0) fraction += Math.min(0.99, now.iteration / (double) (now.iterations + 1));
        Double estimate = null;
        if (done > 0) {
            // the mean time of a finished cell (its forks and the run's T₁ included) × the cells left, less what this one took
            double perCell = now.finishedCellsNanos / 1e9 / done;
            int left = run.cellsTotal() - done;
            estimate = Math.max(0, Math.round((left * perCell - (nanos - now.startNanos - now.finishedCellsNanos) / 1e9) * 10) / 10.0);
        }
        Progress.CurrentCell cell = now.cellIndex == null ? null
                : new Progress.CurrentCell(now.cellIndex, now.workload, now.model, now.phase, now.iteration, now.iterations);
        return new Progress.Measuring(run.cellsDone(), run.cellsTotal(),
                run.cellsTotal() == 0 ? 0.0 : Math.min(1.0, fraction / run.cellsTotal()), Math.round(elapsed * 10) / 10.0, estimate,
                cell, now.measurer.currentPid());
    }
}
