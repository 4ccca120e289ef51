package dev.conlab.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Resolved parameter values of one workload or model: integers are {@code Long}, choices {@code String}. */
public record Params(Map<String, Object> values) {

    public static final Params NONE = new Params(Map.of());

    public Params {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public long longValue(String name) {
        Object v = values.get(name);
        if (v instanceof Number n) return n.longValue();
        throw new IllegalStateException("no integer parameter '" + name + "' in " + values);
    }

    public int intValue(String name) {
        return Math.toIntExact(longValue(name));
    }

    public String string(String name) {
        Object v = values.get(name);
        if (v == null) throw new IllegalStateException("no parameter '" + name + "' in " + values);
        return v.toString();
    }

    /** Whether two parameter maps hold the same values, whatever number types JSON gave them. */
    public static boolean sameValues(Map<String, Object> a, Map<String, Object> b) {
        if (a == null || b == null) return a == b;
        return fromJson(a).values().equals(fromJson(b).values());
    }

    /** Turns JSON-read values (Integer, Long, String) into the canonical types. */
    public static Params fromJson(Map<String, Object> raw) {
        var map = new LinkedHashMap<String, Object>();
        raw.forEach((k, v) -> map.put(k, v instanceof Number n ? (Object) n.longValue() : v));
        return new Params(map);
    }
}
