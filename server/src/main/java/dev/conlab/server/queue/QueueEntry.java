package dev.conlab.server.queue;

import dev.conlab.db.QueueStore;
import dev.conlab.db.RunStatus;

import java.time.OffsetDateTime;

/**
 * A run of the queue as the API and the live queue panel show it, with the machine it is measured on ({@code onAgent}:
 * by that machine's agent rather than a server's own runner).
 */
public record QueueEntry(long id, RunStatus status, String suite, int jdkFeature, String jdkVersion, OffsetDateTime createdAt,
                         OffsetDateTime startedAt, OffsetDateTime finishedAt, String error, Long retryOf, String url,
                         Progress progress, String runtime, String runtimeLabel, Long machineId, String machine, boolean onAgent) {

    static QueueEntry of(QueueStore.QueuedRun run, Progress progress) {
        return new QueueEntry(run.id(), run.status(), run.suite(), run.jdkFeature(), run.jdkVersion(), run.createdAt(),
                run.startedAt(), run.finishedAt(), run.error(), run.retryOf(), "/api/runs/" + run.id(), progress, run.runtime(),
                run.runtimeLabel(), run.targetMachineId(), run.targetMachine(), run.onAgent());
    }
}
