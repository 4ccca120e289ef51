package dev.conlab.bench;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a cell ended; its id is what the result document, the database (CHECK ck_cell_status) and the pages say. */
public enum CellStatus {
    /** Measured and validated: it has samples. */
    OK,
    /** The model cannot run this workload, or not on this JVM; the error says why. */
    UNSUPPORTED,
    /** A task threw, the result was wrong, or the worker died; the error has the cause. */
    FAILED,
    /** The cell outlived its timeout and its worker was killed. */
    TIMEOUT;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static CellStatus of(String id) {
        for (CellStatus s : values()) {
            if (s.id().equals(id)) return s;
        }
        throw new IllegalArgumentException("unknown cell status '" + id + "'; valid: " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(CellStatus::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id();
    }
}
