package dev.conlab.bench;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How many cells share a worker JVM. JIT decisions differ from one JVM to the next and a JVM keeps the profiles and
 * the heap of what it ran before, so a cell measured beside others is not measured alone: {@link #CELL} (a fresh JVM
 * for every cell, JMH's rule) is the honest default; the others are for quick looks and say so on every page.
 */
public enum ForkMode {
    /** Every cell in its own fresh worker JVM (per fork). */
    CELL("a fresh worker JVM for every cell"),
    /** One worker JVM per workload, its models one after the other. */
    WORKLOAD("one worker JVM per workload"),
    /** One worker JVM for the whole run (the lab before fork modes). */
    RUN("one worker JVM for the whole run");

    private final String summary;

    ForkMode(String summary) {
        this.summary = summary;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String summary() {
        return summary;
    }

    @JsonCreator
    public static ForkMode parse(String text) {
        for (ForkMode m : values()) {
            if (m.id().equalsIgnoreCase(text.trim())) return m;
        }
        throw new InvalidSpecException("unknown fork mode '" + text + "'; valid fork modes: " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(ForkMode::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id();
    }
}
