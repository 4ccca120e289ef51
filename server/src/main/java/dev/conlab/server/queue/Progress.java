package dev.conlab.server.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.conlab.bench.harness.Phase;

/**
 * How far a run of the queue is: cells done of the total, and while it measures, the current cell and iteration,
 * the time so far and an estimate of the rest (the mean time of the finished cells × the cells left).
 */
public sealed interface Progress {

    int cellsDone();

    int cellsTotal();

    /** 0 to 1, counting the current cell's iterations. */
    double fraction();

    /** A run that waits, or has ended. */
    record Waiting(int cellsDone, int cellsTotal, double fraction) implements Progress {
    }

    /**
     * The run being measured now.
     *
     * @param estimateSeconds null until a cell has finished
     * @param currentCell     null between cells
     * @param workerPid       the worker JVM's PID, null between workers
     */
    record Measuring(int cellsDone, int cellsTotal, double fraction, double elapsedSeconds, Double estimateSeconds,
                     @JsonInclude(JsonInclude.Include.NON_NULL) CurrentCell currentCell, Long workerPid) implements Progress {
    }

    /** The cell being measured and its iteration. */
    record CurrentCell(int index, String workload, String model, Phase phase, int iteration, int of) {
    }
}
