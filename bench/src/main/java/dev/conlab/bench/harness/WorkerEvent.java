package dev.conlab.bench.harness;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.PythonInfo;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One JSON line a worker writes on stdout. One small record per message. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
        @JsonSubTypes.Type(value = WorkerEvent.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = WorkerEvent.CellStart.class, name = "cell-start"),
        @JsonSubTypes.Type(value = WorkerEvent.Iteration.class, name = "iteration"),
        @JsonSubTypes.Type(value = WorkerEvent.CellDone.class, name = "cell"),
        @JsonSubTypes.Type(value = WorkerEvent.Done.class, name = "done"),
        @JsonSubTypes.Type(value = WorkerEvent.Failure.class, name = "error")})
public sealed interface WorkerEvent {

    /** First line: what the worker runs on. */
    record Hello(MachineInfo machine, JvmInfo jvm, PythonInfo python) implements WorkerEvent {

        public Hello(MachineInfo machine, JvmInfo jvm) {
            this(machine, jvm, null);
        }
    }

    record CellStart(int index, String workload, String model) implements WorkerEvent {
    }

    record Iteration(int index, Phase phase, int iteration, int of) implements WorkerEvent {
    }

    /** @param idealPerOneThread a CPU-bound cell's ideal as a multiple of T₁, for the supervisor to fill in; else null */
    record CellDone(int index, CellResult result, Double idealPerOneThread) implements WorkerEvent {
    }

    record Done() implements WorkerEvent {
    }

    /** The worker failed outside any cell; it exits with code 1 right after. */
    record Failure(String message) implements WorkerEvent {
    }
}
