package dev.conlab.bench;

import java.util.List;
import java.util.Map;

/**
 * One typed parameter of a workload or a model, with its value in each suite.
 *
 * @param name      kebab- or camel-case name as it appears in {@code -p workload.name=value}
 * @param kind      how the value is parsed
 * @param summary   one sentence for {@code --help} and the catalog
 * @param smoke     value in the smoke suite
 * @param dflt      value in the default suite
 * @param seed      value in the seed suite
 * @param min       smallest allowed integer value (integers only)
 * @param max       largest allowed integer value (integers only)
 * @param choices   allowed values (choices only)
 * @param role      what a sweep of it varies: how the curve computes throughput and whether the USL applies
 */
public record Param(String name, Kind kind, String summary, String smoke, String dflt, String seed,
                    long min, long max, List<String> choices, Role role) {

    public enum Kind { INT, CHOICE }

    /** What changes when a sweep changes this parameter. */
    public enum Role {
        /** Neither the amount of work nor the concurrency (a latency, a size): throughput is runs per second. */
        PLAIN(false, false),
        /** The amount of work, in units the value counts (tasks, requests): throughput is units per second. */
        WORK(true, false),
        /** How many run at once, the work unchanged (pool size, chunks of fixed work): the USL applies. */
        CONCURRENCY(false, true),
        /** Both: each unit is more work and runs beside the others (cpu-sum's workers, each summing M ints). */
        WORK_AND_CONCURRENCY(true, true);

        private final boolean work;
        private final boolean concurrency;

        Role(boolean work, boolean concurrency) {
            this.work = work;
            this.concurrency = concurrency;
        }

        /** Throughput is the value ÷ time (else 1 ÷ time). */
        public boolean countsWork() {
            return work;
        }

        /** The value is a concurrency N, so the Universal Scalability Law can be fitted to a sweep of it. */
        public boolean concurrency() {
            return concurrency;
        }
    }

    public Param {
        role = role == null ? Role.PLAIN : role;
    }

    public Param(String name, Kind kind, String summary, String smoke, String dflt, String seed, long min, long max,
                 List<String> choices) {
        this(name, kind, summary, smoke, dflt, seed, min, max, choices, Role.PLAIN);
    }

    /** This parameter with what a sweep of it varies. */
    public Param as(Role r) {
        return new Param(name, kind, summary, smoke, dflt, seed, min, max, choices, r);
    }

    public static Param integer(String name, String summary, long smoke, long dflt, long seed, long min, long max) {
        return new Param(name, Kind.INT, summary, Long.toString(smoke), Long.toString(dflt), Long.toString(seed),
                min, max, List.of());
    }

    /** An integer parameter whose default is "the available processors" unless given. 0 stands for P. */
    public static Param integerOrProcessors(String name, String summary, long max) {
        return new Param(name, Kind.INT, summary + " (0 = available processors)", "0", "0", "0", 0, max, List.of(), Role.CONCURRENCY);
    }

    public static Param choice(String name, String summary, String value, List<String> choices) {
        return new Param(name, Kind.CHOICE, summary, value, value, value, 0, 0, List.copyOf(choices));
    }

    public String valueIn(Suite suite) {
        return switch (suite) {
            case SMOKE -> smoke;
            case DEFAULT, SCALING -> dflt;
            case SEED -> seed;
        };
    }

    /** Parses and checks a value; the message of a bad one says what is allowed. */
    public Object parse(String owner, String text) {
        String where = owner + "." + name;
        if (kind == Kind.CHOICE) {
            if (!choices.contains(text)) {
                throw new InvalidSpecException("bad value '" + text + "' for " + where + "; valid values: "
                        + String.join(", ", choices));
            }
            return text;
        }
        long value;
        try {
            value = Long.parseLong(text.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("bad value '" + text + "' for " + where + ": expected a whole number from "
                    + min + " to " + max);
        }
        if (value < min || value > max) {
            throw new InvalidSpecException("value " + value + " for " + where + " is out of range: expected "
                    + min + " to " + max);
        }
        return value;
    }

    public static Map<String, Object> defaults(String owner, List<Param> params, Suite suite) {
        var map = new java.util.LinkedHashMap<String, Object>();
        for (Param p : params) map.put(p.name(), p.parse(owner, p.valueIn(suite)));
        return map;
    }
}
