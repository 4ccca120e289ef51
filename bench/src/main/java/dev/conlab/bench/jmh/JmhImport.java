package dev.conlab.bench.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.ForkMode;
import dev.conlab.bench.JmhCell;
import dev.conlab.bench.JmhRun;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Settings;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.conlab.bench.jmh.JmhFields.*;

/**
 * Makes a lab result document ({@value RunDocument#SCHEMA}, suite {@value #SUITE}) of a JMH JSON result file (JMH 1.x,
 * {@code -rf json}): one cell per entry — workload {@code Class.method}, model the mode (thrpt, avgt, sample, ss),
 * parameters JMH's {@code @Param}s as JMH wrote them (text), model parameter {@code threads} — whose samples are JMH's
 * raw data, one per fork and iteration, in the benchmark's unit, so the lab's median, interval and Welch comparisons
 * apply to them. JMH's score, error, interval, percentiles and secondary metrics ride along on the cell; the file's
 * entries are kept whole in the document's {@code jmh} block. JMH records the JVM but not the machine: the caller
 * gives the machine (the CLI's probe, or a machine the lab knows).
 *
 * <p>Sample mode ({@code sample}) writes a histogram per iteration instead of raw values: its samples are each
 * iteration's mean (JMH's percentiles stay on the cell).
 *
 * <p>Nothing is guessed: a field that is missing or of the wrong kind is a {@link Problem} at its JSON path (of the
 * JMH file), and a file with any problem makes no document.
 */
public final class JmhImport {

    public static final String SUITE = "jmh";

    /** A problem in the JMH file at {@code path} ({@code $[2].primaryMetric.rawData[0][1]}). */
    public record Problem(String path, String message) {
    }

    /** The document when {@code problems} is empty. */
    public record Result(RunDocument document, List<Problem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private static final Set<String> MODES = Set.of("thrpt", "avgt", "sample", "ss");
    private static final Pattern BENCHMARK = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)+");
    private static final int MAX_PROBLEMS = 50;

    private JmhImport() {
    }

    /**
     * Whether a body looks like a JMH result file rather than a lab document: a JSON array whose first element is an
     * object naming a benchmark (anything else goes to the document's checks, which say what a document is).
     */
    public static boolean looksLikeJmh(String text) {
        int i = skip(text, 0);
        if (i >= text.length() || text.charAt(i) != '[') return false;
        i = skip(text, i + 1);
        if (i >= text.length() || text.charAt(i) != '{') return false;
        String head = text.substring(i, Math.min(text.length(), i + 4096));
        return head.contains("\"benchmark\"") || head.contains("\"primaryMetric\"");
    }

    private static int skip(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == '\uFEFF' || Character.isWhitespace(text.charAt(i)))) i++;
        return i;
    }

    /**
     * @param text       the JMH file's text
     * @param machine    the machine it ran on
     * @param finishedAt when it finished (JMH does not record it: the file's modification time, or the upload's)
     * @param file       the file's name, or null
     */
    public static Result convert(String text, MachineInfo machine, Instant finishedAt, String file) {
        var problems = new ArrayList<Problem>();
        JsonNode root;
        try {
            root = Json.MAPPER.reader().with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(text);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            return new Result(null, List.of(new Problem("$", "not valid JSON" + where + ": " + e.getOriginalMessage())));
        }
        if (root == null || !root.isArray()) {
            return new Result(null, List.of(new Problem("$", "a JMH result file is a JSON array of benchmarks (java -jar benchmarks.jar -rf json)")));
        }
        if (root.isEmpty()) return new Result(null, List.of(new Problem("$", "the file has no benchmarks")));
        if (root.size() > 10_000) return new Result(null, List.of(new Problem("$", "has " + root.size() + " benchmarks; at most 10000 per file")));

        var cells = new ArrayList<CellResult>();
        var entries = new ArrayList<JsonNode>();
        String jdk = null;
        String jmhVersion = null;
        // Class.method names a benchmark unless two packages have the same one in this file
        Map<String, Set<String>> names = new HashMap<>();
        for (JsonNode entry : root) {
            String benchmark = entry.path("benchmark").asText("");
            if (BENCHMARK.matcher(benchmark).matches()) names.computeIfAbsent(simpleName(benchmark), k -> new java.util.HashSet<>()).add(benchmark);
        }
        var seen = new HashMap<String, Integer>();
        for (int i = 0; i < root.size() && problems.size() < MAX_PROBLEMS; i++) {
            String at = "$[" + i + "]";
            JsonNode entry = root.get(i);
            if (!entry.isObject()) {
                problems.add(new Problem(at, "must be a benchmark: an object with benchmark, mode, primaryMetric, …"));
                continue;
            }
            int before = problems.size();
            String benchmark = text(entry, at, "benchmark", true, problems);
            if (benchmark != null && (benchmark.length() > 200 || !BENCHMARK.matcher(benchmark).matches())) {
                problems.add(new Problem(at + ".benchmark", "must be a benchmark method's qualified name (package.Class.method, at most 200 characters), not '"
                        + clip(benchmark) + "'"));
            }
            String mode = text(entry, at, "mode", true, problems);
            if (mode != null && !MODES.contains(mode)) {
                problems.add(new Problem(at + ".mode", "must be one of thrpt, avgt, sample, ss (JMH's short names), not '" + clip(mode) + "'"));
            }
            Integer threads = integer(entry, at, "threads", 1, 100_000, true, problems);
            Integer forks = integer(entry, at, "forks", 0, Settings.MOST_FORKS, true, problems);
            String version = text(entry, at, "jdkVersion", true, problems);
            if (version != null && jdk != null && !version.equals(jdk)) {
                problems.add(new Problem(at + ".jdkVersion", "is " + clip(version) + " but $[0] ran on " + jdk
                        + ": one file is one JVM; import the files of each JDK separately"));
            }
            if (jdk == null && version != null) {
                jdk = version;
                if (feature(version) == null) problems.add(new Problem(at + ".jdkVersion", "is not a JDK version such as 25.0.3 or 1.8.0_392: '" + clip(version) + "'"));
            }
            text(entry, at, "vmName", false, problems);
            text(entry, at, "vmVersion", false, problems);
            text(entry, at, "jvm", false, problems);
            String thisJmh = text(entry, at, "jmhVersion", false, problems);
            if (jmhVersion == null) jmhVersion = thisJmh;
            integer(entry, at, "warmupIterations", 0, Settings.MOST_WARMUPS, false, problems);
            integer(entry, at, "measurementIterations", 1, Settings.MOST_ITERATIONS, false, problems);
            if (entry.has("jvmArgs") && !stringArray(entry.get("jvmArgs"))) {
                problems.add(new Problem(at + ".jvmArgs", "must be an array of strings (the JVM's arguments)"));
            }
            Map<String, Object> params = params(entry.get("params"), at + ".params", problems);
            JsonNode primary = entry.get("primaryMetric");
            if (primary == null || !primary.isObject()) {
                problems.add(new Problem(at + ".primaryMetric", primary == null ? "missing: JMH writes the benchmark's result there"
                        : "must be an object (score, scoreError, scoreUnit, rawData, …)"));
                continue;
            }
            String pm = at + ".primaryMetric";
            Double score = number(primary, pm, "score", true, problems);
            Double error = number(primary, pm, "scoreError", false, problems);
            String unit = text(primary, pm, "scoreUnit", true, problems);
            List<Double> confidence = confidence(primary.get("scoreConfidence"), pm + ".scoreConfidence", problems);
            Map<String, Double> percentiles = percentiles(primary.get("scorePercentiles"), pm + ".scorePercentiles", problems);
            List<Sample> samples = "sample".equals(mode) && primary.has("rawDataHistogram") && !primary.has("rawData")
                    ? histogramSamples(primary.get("rawDataHistogram"), pm + ".rawDataHistogram", problems)
                    : rawSamples(primary.get("rawData"), pm + ".rawData", problems);
            Map<String, JmhCell.Metric> secondary = secondary(entry.get("secondaryMetrics"), at + ".secondaryMetrics", problems);
            if (problems.size() > before) continue;

            String workload = names.getOrDefault(simpleName(benchmark), Set.of()).size() > 1 ? benchmark : simpleName(benchmark);
            String key = workload + "|" + mode + "|" + threads + "|" + params;
            Integer first = seen.putIfAbsent(key, i);
            if (first != null) {
                problems.add(new Problem(at, "repeats $[" + first + "] (" + benchmark + ", " + mode + ", " + threads + " thread(s), "
                        + params + "): one file has each benchmark, mode, threads and parameters once"));
                continue;
            }
            boolean higher = higherIsBetter(mode, unit);
            var jmh = new JmhCell(benchmark, mode, unit, higher, threads, forks, score, error, confidence, percentiles, secondary, thisJmh);
            Map<String, Object> modelParams = new LinkedHashMap<>();
            modelParams.put("threads", threads);
            boolean measured = !samples.isEmpty();
            cells.add(new CellResult(workload, mode, params, modelParams, measured ? CellStatus.OK : CellStatus.FAILED, threads, null, null,
                    null, List.of(), samples, Map.of("samples", "JMH's raw data, one per fork and iteration, in " + unit
                    + ("sample".equals(mode) ? " (sample mode: each iteration's mean of its histogram)" : "")), measured ? null
                    : "JMH recorded no finite result for this benchmark (score " + (score == null ? "missing" : String.valueOf(score)) + ")",
                    null, jmh));
            entries.add(entry);
        }
        if (!problems.isEmpty()) return new Result(null, List.copyOf(problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS))));

        JsonNode head = root.get(0);
        var jvm = new JvmInfo(feature(jdk), jdk, null, textOrNull(head, "vmName"), textOrNull(head, "vmVersion"), textOrNull(head, "jvm"),
                gc(head.get("jvmArgs")), null, null, null, strings(head.get("jvmArgs")));
        int warmups = head.path("warmupIterations").asInt(0);
        int iterations = Math.max(1, head.path("measurementIterations").asInt(1));
        int forks = Math.max(1, head.path("forks").asInt(1));
        // JMH's default timeout is 10 minutes per iteration; the lab's settings need a cell timeout, and JMH's is that
        var settings = new Settings(warmups, iterations, forks, 600, ForkMode.CELL, null);
        String id = UUID.nameUUIDFromBytes((machine.fingerprint() + "\n" + text).getBytes(StandardCharsets.UTF_8)).toString();
        String time = finishedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        var document = new RunDocument(RunDocument.SCHEMA, id, time, time, SUITE, machine, jvm, settings, List.copyOf(cells), null, null,
                null, new JmhRun(jmhVersion, file, List.copyOf(entries)));
        return new Result(document, List.of());
    }

    /** Throughput units (ops per time) are better higher; times per op, and anything else JMH's time modes give, lower. */
    static boolean higherIsBetter(String mode, String unit) {
        if (unit != null && unit.startsWith("ops/")) return true;
        if (unit != null && unit.endsWith("/op")) return false;
        return "thrpt".equals(mode);
    }

    /** {@code Class.method} of {@code package.Class.method}. */
    static String simpleName(String benchmark) {
        int last = benchmark.lastIndexOf('.');
        int previous = benchmark.lastIndexOf('.', last - 1);
        return benchmark.substring(previous + 1);
    }

    /** The feature release of a JDK version: 25 of 25.0.3, 8 of 1.8.0_392; null when it is not one. */
    static Integer feature(String version) {
        var m = Pattern.compile("^(?:1\\.)?(\\d{1,3})(?:[.+_-].*)?$").matcher(version.strip());
        if (!m.matches()) return null;
        int feature = Integer.parseInt(m.group(1));
        return feature >= 8 && feature <= 1000 ? feature : null;
    }

    /** The collector named by the arguments (-XX:+UseG1GC → G1), or null: JMH does not record the default. */
    private static String gc(JsonNode args) {
        for (String arg : strings(args)) {
            var m = Pattern.compile("^-XX:\\+Use(\\w+)GC$").matcher(arg);
            if (m.matches()) return m.group(1);
        }
        return null;
    }

}
