package dev.conlab.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.JmhCell;
import dev.conlab.bench.Sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reading a JMH result file's fields for {@link JmhImport}: each reader takes a node and the JSON path it is at, returns the
 * value when it is what JMH writes, and otherwise adds a {@link JmhImport.Problem} at that path and returns null — nothing is
 * guessed. Raw data and sample-mode histograms become the lab's samples here.
 */
final class JmhFields {

    static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    private JmhFields() {
    }

    static List<String> strings(JsonNode array) {
        var list = new ArrayList<String>();
        if (array != null && array.isArray()) array.forEach(n -> list.add(n.asText()));
        return list;
    }

    static boolean stringArray(JsonNode node) {
        if (!node.isArray() || node.size() > 1000) return false;
        for (JsonNode n : node) if (!n.isTextual()) return false;
        return true;
    }

    static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    static String text(JsonNode node, String at, String field, boolean required, List<JmhImport.Problem> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) problems.add(new JmhImport.Problem(at + "." + field, "missing: every JMH result has it"));
            return null;
        }
        if (!v.isTextual()) {
            problems.add(new JmhImport.Problem(at + "." + field, "must be text, not " + kind(v)));
            return null;
        }
        if (v.asText().length() > 1000) {
            problems.add(new JmhImport.Problem(at + "." + field, "is longer than 1000 characters"));
            return null;
        }
        return v.asText();
    }

    static Integer integer(JsonNode node, String at, String field, int min, int max, boolean required, List<JmhImport.Problem> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) problems.add(new JmhImport.Problem(at + "." + field, "missing: every JMH result has it"));
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            problems.add(new JmhImport.Problem(at + "." + field, "must be a whole number from " + min + " to " + max + ", not " + clip(v.toString())));
            return null;
        }
        return v.asInt();
    }

    /** A JMH number: a JSON number, or the text JMH writes for what is not one ("NaN", "+INF", "-INF", "Infinity"). */
    static Double number(JsonNode node, String at, String field, boolean required, List<JmhImport.Problem> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) problems.add(new JmhImport.Problem(at + "." + field, "missing: every JMH result has it"));
            return null;
        }
        Double d = jmhNumber(v);
        if (d == null) problems.add(new JmhImport.Problem(at + "." + field, "must be a number (or \"NaN\", \"+INF\", \"-INF\"), not " + clip(v.toString())));
        return d;
    }

    static Double jmhNumber(JsonNode v) {
        if (v.isNumber()) return v.asDouble();
        if (!v.isTextual()) return null;
        return switch (v.asText()) {
            case "NaN" -> Double.NaN;
            case "+INF", "INF", "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
            case "-INF", "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    static List<Double> confidence(JsonNode v, String at, List<JmhImport.Problem> problems) {
        if (v == null || v.isNull()) return null;
        if (!v.isArray() || v.size() != 2) {
            problems.add(new JmhImport.Problem(at, "must be JMH's interval: an array of two numbers [low, high]"));
            return null;
        }
        var list = new ArrayList<Double>();
        for (int i = 0; i < 2; i++) {
            Double d = jmhNumber(v.get(i));
            if (d == null) {
                problems.add(new JmhImport.Problem(at + "[" + i + "]", "must be a number (or \"NaN\"), not " + clip(v.get(i).toString())));
                return null;
            }
            list.add(d);
        }
        return list;
    }

    static Map<String, Double> percentiles(JsonNode v, String at, List<JmhImport.Problem> problems) {
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) {
            problems.add(new JmhImport.Problem(at, "must be an object of percentiles (\"50.0\": number, …)"));
            return null;
        }
        var map = new LinkedHashMap<String, Double>();
        for (var field : v.properties()) {
            Double d = jmhNumber(field.getValue());
            if (d == null || field.getKey().length() > 20) {
                problems.add(new JmhImport.Problem(at + "." + field.getKey(), "must be a number (or \"NaN\"), not " + clip(field.getValue().toString())));
                continue;
            }
            map.put(field.getKey(), d);
        }
        return map;
    }

    /** One sample per fork and iteration: rawData is [fork][iteration]. Non-finite values (NaN) are not samples. */
    static List<Sample> rawSamples(JsonNode raw, String at, List<JmhImport.Problem> problems) {
        if (raw == null || raw.isNull()) {
            problems.add(new JmhImport.Problem(at, "missing: the lab's statistics need JMH's raw data (every iteration of every fork)"));
            return List.of();
        }
        if (!raw.isArray()) {
            problems.add(new JmhImport.Problem(at, "must be an array of forks, each an array of iteration results"));
            return List.of();
        }
        var samples = new ArrayList<Sample>();
        for (int f = 0; f < raw.size(); f++) {
            JsonNode fork = raw.get(f);
            if (!fork.isArray()) {
                problems.add(new JmhImport.Problem(at + "[" + f + "]", "must be an array of this fork's iteration results (numbers)"));
                continue;
            }
            for (int i = 0; i < fork.size(); i++) {
                Double d = jmhNumber(fork.get(i));
                if (d == null) {
                    problems.add(new JmhImport.Problem(at + "[" + f + "][" + i + "]", "must be a number (or \"NaN\"), not " + clip(fork.get(i).toString())));
                } else if (Double.isFinite(d) && samples.size() < 100_000) {
                    samples.add(Sample.jmh(d, f));
                }
            }
        }
        return samples;
    }

    /** Sample mode: rawDataHistogram is [fork][iteration][[value, count], …]; one sample per iteration, its mean. */
    static List<Sample> histogramSamples(JsonNode raw, String at, List<JmhImport.Problem> problems) {
        if (!raw.isArray()) {
            problems.add(new JmhImport.Problem(at, "must be an array of forks, each an array of iterations, each an array of [value, count]"));
            return List.of();
        }
        var samples = new ArrayList<Sample>();
        for (int f = 0; f < raw.size(); f++) {
            JsonNode fork = raw.get(f);
            if (!fork.isArray()) {
                problems.add(new JmhImport.Problem(at + "[" + f + "]", "must be an array of this fork's iterations"));
                continue;
            }
            for (int i = 0; i < fork.size(); i++) {
                JsonNode iteration = fork.get(i);
                double sum = 0;
                double count = 0;
                boolean bad = !iteration.isArray();
                if (!bad) {
                    for (JsonNode pair : iteration) {
                        Double value = pair.isArray() && pair.size() == 2 ? jmhNumber(pair.get(0)) : null;
                        Double n = pair.isArray() && pair.size() == 2 ? jmhNumber(pair.get(1)) : null;
                        if (value == null || n == null || n < 0) {
                            bad = true;
                            break;
                        }
                        sum += value * n;
                        count += n;
                    }
                }
                if (bad) {
                    problems.add(new JmhImport.Problem(at + "[" + f + "][" + i + "]", "must be an array of [value, count] pairs (numbers)"));
                } else if (count > 0 && Double.isFinite(sum / count)) {
                    samples.add(Sample.jmh(sum / count, f));
                }
            }
        }
        return samples;
    }

    static Map<String, Object> params(JsonNode v, String at, List<JmhImport.Problem> problems) {
        var map = new LinkedHashMap<String, Object>();
        if (v == null || v.isNull()) return map;
        if (!v.isObject()) {
            problems.add(new JmhImport.Problem(at, "must be an object of the @Param values (\"size\": \"1000\")"));
            return map;
        }
        if (v.size() > 50) problems.add(new JmhImport.Problem(at, "has " + v.size() + " parameters; at most 50"));
        for (var field : v.properties()) {
            if (!PARAM_NAME.matcher(field.getKey()).matches()) {
                problems.add(new JmhImport.Problem(at + "." + field.getKey(), "a parameter's name must be a Java identifier of at most 64 characters"));
            } else if (!field.getValue().isTextual() && !field.getValue().isNumber()) {
                problems.add(new JmhImport.Problem(at + "." + field.getKey(), "must be the parameter's value as text, not " + kind(field.getValue())));
            } else if (field.getValue().asText().length() > 200) {
                problems.add(new JmhImport.Problem(at + "." + field.getKey(), "is longer than 200 characters"));
            } else {
                map.put(field.getKey(), field.getValue().asText());
            }
        }
        return map;
    }

    static Map<String, JmhCell.Metric> secondary(JsonNode v, String at, List<JmhImport.Problem> problems) {
        var map = new LinkedHashMap<String, JmhCell.Metric>();
        if (v == null || v.isNull()) return map;
        if (!v.isObject()) {
            problems.add(new JmhImport.Problem(at, "must be an object of metrics by name"));
            return map;
        }
        for (var field : v.properties()) {
            String name = field.getKey().startsWith("\u00B7") ? field.getKey().substring(1) : field.getKey();
            String path = at + "." + field.getKey();
            JsonNode metric = field.getValue();
            if (!metric.isObject()) {
                problems.add(new JmhImport.Problem(path, "must be a metric: an object with score, scoreError, scoreUnit"));
                continue;
            }
            if (name.isEmpty() || name.length() > 200) {
                problems.add(new JmhImport.Problem(path, "a metric needs a name of at most 200 characters"));
                continue;
            }
            Double score = number(metric, path, "score", true, problems);
            Double error = number(metric, path, "scoreError", false, problems);
            String unit = text(metric, path, "scoreUnit", false, problems);
            map.put(name, new JmhCell.Metric(score, error, unit));
        }
        return map;
    }

    static String kind(JsonNode v) {
        return v.isTextual() ? "text" : v.isNumber() ? "a number" : v.isBoolean() ? "true/false" : v.isArray() ? "an array" : v.isObject() ? "an object" : "null";
    }

    static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 79) + "…" : s;
    }
}
