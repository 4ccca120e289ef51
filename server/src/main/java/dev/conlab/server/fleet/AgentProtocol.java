package dev.conlab.server.fleet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.PythonInfo;
import dev.conlab.server.queue.AgentRuntimes;
import dev.conlab.server.queue.Progress;

import java.util.List;
import java.util.Locale;

/**
 * What an agent and its server say to each other over {@code /api/agents}: one record per message, the same classes on
 * both ends ({@link Fleet} and the agent's client), statuses and answers as enums — never a string compared in two files.
 */
public final class AgentProtocol {

    private AgentProtocol() {
    }

    /** What an agent says when it starts. */
    public record Hello(MachineInfo machine, AgentRuntimes runtimes, String version) {
    }

    /** The answer to a registration: who the agent is now and how often to speak. */
    public record Registered(long machineId, String machine, String session, int leaseSeconds, int heartbeatSeconds, int pollSeconds) {
    }

    /**
     * A run handed to an agent: what to measure and on which of its JDKs or interpreters.
     *
     * @param sitting  the sitting the run belongs to, or null
     * @param together the other runs of its interleaved sitting on this machine, claimed with it: the agent measures them as
     *                 one job, their forks in rounds (empty for a run of its own)
     */
    public record Claim(long id, String documentId, String runtime, String home, int runTimeoutSeconds, int cellsTotal, JsonNode spec,
                        String sitting, List<Claim> together) {

        public Claim {
            together = together == null ? List.of() : List.copyOf(together);
        }
    }

    /** What the holder of a running run learns when it renews its lease. */
    public enum Lease {
        /** Renewed: go on measuring. */
        HELD,
        /** Renewed, but someone asked to cancel: stop, kill the worker, report the run cancelled. */
        CANCEL,
        /** Not yours any more (interrupted after the lease lapsed, or ended): stop and report nothing. */
        LOST;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Lease of(String id) {
            for (Lease l : values()) if (l.id().equals(id)) return l;
            throw new IllegalArgumentException("a lease answer is held, cancel or lost, not '" + id + "'");
        }

        /** The most urgent of two answers (a job of several runs hears the worst of them). */
        public Lease worse(Lease other) {
            return other == null || other.ordinal() < ordinal() ? this : other;
        }
    }

    /** The answer to a heartbeat: null {@code run} without one. */
    public record Beat(Lease run) {
    }

    /**
     * A heartbeat: the agent is alive; with runs, their leases are renewed.
     *
     * @param run      the run being measured (the first of its job)
     * @param runs     every run of the job (an interleaved sitting's); null or empty for {@code run} alone
     * @param progress how far it is
     */
    public record Heartbeat(Long run, List<Long> runs, Report progress) {

        /** Every run this heartbeat renews. */
        public List<Long> all() {
            var ids = new java.util.LinkedHashSet<Long>();
            if (run != null) ids.add(run);
            if (runs != null) ids.addAll(runs);
            return List.copyOf(ids);
        }
    }

    /** What a heartbeat carries of the run being measured. */
    public record Report(Progress.CurrentCell cell, Double elapsedSeconds, Double estimateSeconds, Long workerPid) {
    }

    /** The worker's hello: its machine and JVM (or interpreter). */
    public record Started(MachineInfo machine, JvmInfo jvm, PythonInfo python) {
    }

    /** How an agent ends a run without a document. */
    public enum Ending {
        FAILED, CANCELLED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Ending of(String id) {
            for (Ending e : values()) if (e.id().equals(id)) return e;
            throw new IllegalArgumentException("$.status must be failed or cancelled, not '" + id + "'");
        }
    }

    /** A run ended on its agent without a document: failed (with why) or cancelled (it obeyed a cancel). */
    public record End(Ending status, String error) {
    }
}
