package dev.conlab.server.queue;

import dev.conlab.db.QueueStore.QueuedRun;
import dev.conlab.db.RunStatus;

import java.util.concurrent.CountDownLatch;

/** What the runner is doing now — the job and its execution, its current cell and iteration — and the progress it makes of it. */
final class ProgressTracker {

    /** The job being measured now. */
    static final class Active {
        final RunExecution execution;
        final CountDownLatch ended = new CountDownLatch(1);

        Active(RunExecution execution) {
            this.execution = execution;
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

    Active begin(RunExecution execution) {
        Active now = new Active(execution);
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

    /** The job measured now, if it has this run. */
    Active active(long runId) {
        Active now = active;
        return now != null && now.execution.has(runId) ? now : null;
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
        RunExecution job = now.execution;
        Progress.CurrentCell cell = job.current();
        double fraction = run.cellsDone();
        // the current cell's iterations count towards this run's fraction when the job is this run alone
        if (cell != null && cell.of() > 0 && job.runs().size() == 1) fraction += Math.min(0.99, cell.iteration() / (double) (cell.of() + 1));
        return new Progress.Measuring(run.cellsDone(), run.cellsTotal(),
                run.cellsTotal() == 0 ? 0.0 : Math.min(1.0, fraction / run.cellsTotal()), job.elapsedSeconds(), job.estimateSeconds(),
                cell, job.workerPid());
    }
}
