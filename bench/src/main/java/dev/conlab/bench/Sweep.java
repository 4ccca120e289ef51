package dev.conlab.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One parameter measured at several values: {@code -p sleep-io.tasks=10,100,1000} (a list) or
 * {@code -p fixed-pool.threads=1..64x2} (a geometric range: 1, 2, 4, … up to 64; a range without a factor counts by
 * one). Every value is checked against the parameter's bounds; a run has one cell per workload, model and point.
 *
 * @param parameter {@code owner.name}, e.g. {@code sleep-io.tasks}
 * @param values    the points, in the order they were given
 */
public record Sweep(String parameter, List<Long> values) {

    /** More points than this is not a sweep but a mistake (or a very long run): say so. */
    public static final int MAX_POINTS = 25;

    private static final String EXAMPLE = "write a list such as 10,100,1000 or a range such as 10..100000x10 (from 10, ×10 each step)";

    public Sweep {
        values = List.copyOf(values);
    }

    /** The owner (workload or model id) of the swept parameter. */
    public String owner() {
        return parameter.substring(0, parameter.indexOf('.'));
    }

    /** The parameter's name without its owner. */
    public String name() {
        return parameter.substring(parameter.indexOf('.') + 1);
    }

    /** Whether a value given for a parameter asks for several points. */
    static boolean isSweep(String text) {
        return text.contains(",") || text.contains("..");
    }

    /** The points of a sweep of {@code owner.param}, each within the parameter's bounds; a bad one says what to write instead. */
    static Sweep parse(String owner, Param param, String text) {
        String where = owner + "." + param.name();
        if (param.kind() != Param.Kind.INT) {
            throw new InvalidSpecException("bad sweep '" + text + "' for " + where + ": only whole-number parameters can be swept; "
                    + "give one of " + String.join(", ", param.choices()));
        }
        var points = new LinkedHashSet<Long>();
        String t = text.strip().replace("_", "");
        if (t.contains("..")) {
            String[] ends = t.split("\\.\\.", 2);
            String hiText = ends[1];
            long factor = 0;
            int x = hiText.toLowerCase(java.util.Locale.ROOT).indexOf('x');
            if (x >= 0) {
                factor = number(text, where, hiText.substring(x + 1));
                hiText = hiText.substring(0, x);
                if (factor < 2) throw new InvalidSpecException("bad sweep '" + text + "' for " + where + ": the factor after x must be 2 or more");
            }
            long lo = number(text, where, ends[0]);
            long hi = number(text, where, hiText);
            if (lo > hi) throw new InvalidSpecException("bad sweep '" + text + "' for " + where + ": the range is empty (" + lo + " > " + hi + "); " + EXAMPLE);
            if (factor > 0 && lo < 1) throw new InvalidSpecException("bad sweep '" + text + "' for " + where + ": a geometric range starts at 1 or more");
            for (long v = lo; v <= hi; v = factor > 0 ? v * factor : v + 1) {
                points.add(v);
                if (points.size() > MAX_POINTS) break;
                if (factor > 0 && v > Long.MAX_VALUE / factor) break;
            }
        } else {
            for (String part : t.split(",")) {
                if (part.isBlank()) throw new InvalidSpecException("bad sweep '" + text + "' for " + where + ": an empty value; " + EXAMPLE);
                points.add(number(text, where, part));
            }
        }
        if (points.size() > MAX_POINTS) {
            throw new InvalidSpecException("sweep '" + text + "' for " + where + " has more than " + MAX_POINTS
                    + " points; choose fewer values or a larger factor (e.g. x10)");
        }
        if (points.size() < 2) throw new InvalidSpecException("sweep '" + text + "' for " + where + " has one point; give one value without a sweep, or " + EXAMPLE);
        var values = new ArrayList<Long>();
        for (long v : points) values.add((Long) param.parse(owner, Long.toString(v)));
        return new Sweep(where, values);
    }

    private static long number(String text, String where, String part) {
        try {
            return Long.parseLong(part.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("bad sweep '" + text + "' for " + where + ": '" + part.strip() + "' is not a whole number; " + EXAMPLE);
        }
    }
}
