package dev.conlab.bench.jmh;

import dev.conlab.bench.CellResult;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An imported JMH benchmark whose numeric {@code @Param} varies between its cells is a sweep over it: drawn as a curve on a
 * run's page and each run's curve overlaid on a comparison. JMH's parameters are text; only positive numbers make a curve.
 */
public final class JmhSweeps {

    private JmhSweeps() {
    }

    /**
     * The @Param these cells (one benchmark and mode) sweep: the one whose values differ between them and are positive
     * numbers in every one (with several such, the one with the most values); null when none does.
     */
    public static String parameter(List<CellResult> cells) {
        if (cells.isEmpty()) return null;
        String best = null;
        int bestCount = 1;
        for (String name : cells.get(0).params().keySet()) {
            var values = new HashSet<Double>();
            boolean numeric = true;
            for (CellResult c : cells) {
                Double v = value(c.params().get(name));
                if (v == null) {
                    numeric = false;
                    break;
                }
                values.add(v);
            }
            if (numeric && values.size() > bestCount) {
                best = name;
                bestCount = values.size();
            }
        }
        return best;
    }

    /** A parameter's value as a positive finite number, or null. */
    public static Double value(Object value) {
        if (value == null) return null;
        try {
            double v = Double.parseDouble(value.toString());
            return Double.isFinite(v) && v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** What a cell's line of the curve over {@code swept} is: its other @Params and its threads ("size = 8, 2 threads"). */
    public static String line(CellResult cell, String swept) {
        Map<String, Object> others = new TreeMap<>(cell.params());
        others.remove(swept);
        var text = new StringBuilder();
        others.forEach((k, v) -> text.append(k).append(" = ").append(v).append(", "));
        int threads = cell.jmh() == null ? 1 : cell.jmh().threads();
        return text.append(threads).append(threads == 1 ? " thread" : " threads").toString();
    }
}
