package dev.conlab.db;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a run is in its life: {@code queued} → {@code running} → {@code done} | {@code failed} | {@code cancelled} |
 * {@code interrupted}. An uploaded run is {@code done} from the start. The ids are the SQL CHECK {@code ck_run_status}.
 */
public enum RunStatus {
    QUEUED, RUNNING, DONE, FAILED, CANCELLED, INTERRUPTED,
    /**
     * Shown, never stored: a running run whose cancel is on its way to the agent (or server) measuring it, until that
     * confirms; stored it is {@code running} with {@code cancel_requested}.
     */
    CANCELLING;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of this id; an id the lab does not know is an {@link IllegalArgumentException} naming the valid ones. */
    public static RunStatus of(String id) {
        for (RunStatus s : values()) {
            if (s.id().equals(id) && s != CANCELLING) return s;
        }
        throw new IllegalArgumentException("unknown run status '" + id + "'; valid: " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).filter(s -> s != CANCELLING).map(RunStatus::id).collect(Collectors.joining(", "));
    }

    /** Waiting or being measured: it has no result document yet and can be cancelled. */
    public boolean active() {
        return this == QUEUED || this == RUNNING || this == CANCELLING;
    }

    /** It stopped without a document: a retry may queue its plan again. */
    public boolean retryable() {
        return this == FAILED || this == CANCELLED || this == INTERRUPTED;
    }

    @Override
    public String toString() {
        return id();
    }
}
