package dev.conlab.bench.harness;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Where a cell is: its worker starting (the supervisor's, before the first iteration), a warm-up iteration, a measured one.
 * On the wire — the workers' iteration events (JVM and Python: harness.py), the queue's progress, an agent's heartbeat —
 * its id; VocabularyTest holds the Python worker to the same ids.
 */
public enum Phase {
    STARTING, WARMUP, MEASURE;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Phase of(String id) {
        for (Phase p : values()) if (p.id().equals(id)) return p;
        throw new IllegalArgumentException("a phase is starting, warmup or measure, not '" + id + "'");
    }
}
