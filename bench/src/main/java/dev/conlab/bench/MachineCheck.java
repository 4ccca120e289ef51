package dev.conlab.bench;

import java.util.List;
import java.util.Locale;

/**
 * {@code conlab doctor}'s answer to "is this machine fit to measure?": each fact that bears on it, with what to do about it,
 * and the capacity probe over some seconds.
 *
 * @param at       when it was checked (ISO-8601)
 * @param machine  the machine's fingerprint and label, as the probe gives them
 * @param cpus     the CPUs this process may use
 * @param items    the facts, each judged
 * @param capacity the capacity probe over the check's seconds; null where it was not run
 * @param verdict  {@link Level#OK} when nothing calls for care, else {@link Level#WARN}
 */
public record MachineCheck(String at, String machine, String fingerprint, int cpus, List<Item> items, CapacityRange capacity,
                           Level verdict) {

    /** How a fact bears on measuring. */
    public enum Level {
        /** Good for measuring. */
        OK,
        /** Worth knowing; nothing to do on this kind of machine. */
        INFO,
        /** It widens intervals or moves figures between runs: see the advice. */
        WARN,
        /** This machine does not say. */
        UNKNOWN;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Level of(String id) {
            for (Level l : values()) if (l.id().equals(id)) return l;
            throw new IllegalArgumentException("a check's level is ok, info, warn or unknown, not '" + id + "'");
        }
    }

    /**
     * @param name   what was looked at ("CPU frequency governor")
     * @param value  what it is ("performance", "absent")
     * @param advice what to do about it, or why it does not matter; null when it is fine
     */
    public record Item(String name, String value, Level level, String advice) {
    }

    /**
     * The capacity probe taken again and again for {@code seconds}: the effective parallelism's spread (of P CPUs).
     *
     * @param otherShare other processes' share of the CPUs meanwhile; null where /proc/stat cannot be read
     * @param stealShare the hypervisor's (steal); null likewise
     */
    public record CapacityRange(double seconds, int probes, int threads, double min, double median, double max, Double otherShare,
                                Double stealShare) {
    }
}
