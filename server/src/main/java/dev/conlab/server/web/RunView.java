package dev.conlab.server.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Catalog;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.bench.stats.Summary;
import dev.conlab.server.core.Fmt;
import dev.conlab.web.Views;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Turns a run's document (full, or the cells stored so far) into the run page's sections: a chart and a table per workload. */
final class RunView {

    private RunView() {
    }

    static List<Views.Fact> environment(RunDocument doc) {
        var facts = new ArrayList<Views.Fact>();
        MachineInfo m = doc.machine();
        if (m != null) {
            if (m.cpu() != null) {
                facts.add(new Views.Fact("CPU", Fmt.text(m.cpu().model())));
                facts.add(new Views.Fact("Cores", Fmt.cores(m.cpu().logicalCpus(), m.cpu().physicalCores())));
            }
            facts.add(new Views.Fact("Container limit", m.container() == null || m.container().cgroup() == null ? "none"
                    : "cgroup v" + m.container().cgroup() + ", CPU " + (m.container().cpuLimit() == null ? "unlimited"
                    : Fmt.number(m.container().cpuLimit())) + ", memory " + (m.container().memoryLimitBytes() == null ? "unlimited"
                    : Fmt.bytes(m.container().memoryLimitBytes()))));
            facts.add(new Views.Fact("Memory", m.memoryBytes() == null ? "—" : Fmt.bytes(m.memoryBytes())));
            if (m.os() != null) facts.add(new Views.Fact("OS / kernel", Fmt.text(m.os().name()) + " " + Fmt.text(m.os().version())
                    + " / " + Fmt.text(m.os().kernel()) + " (" + Fmt.text(m.os().arch()) + ")"));
            facts.add(new Views.Fact("Host", Fmt.text(m.hostname())));
        }
        JvmInfo j = doc.jvm();
        if (j != null) {
            facts.add(new Views.Fact("JDK", j.version() + (j.vendor() == null ? "" : " (" + j.vendor() + ")")));
            facts.add(new Views.Fact("VM", Fmt.text(j.vm()) + " " + Fmt.text(j.vmVersion())));
            facts.add(new Views.Fact("GC", Fmt.text(j.gc())));
            if (j.maxHeapBytes() != null) facts.add(new Views.Fact("Max heap", Fmt.bytes(j.maxHeapBytes())));
            if (j.availableProcessors() != null) {
                facts.add(new Views.Fact("JVM processors / common pool", j.availableProcessors() + " / " + j.commonPoolParallelism()));
            }
            if (j.inputArguments() != null && !j.inputArguments().isEmpty() && doc.jmh() != null) {
                facts.add(new Views.Fact("JVM arguments", String.join(" ", j.inputArguments())));
            }
        }
        var p = doc.python();
        if (p != null) {
            facts.add(new Views.Fact("Python", p.label() + " (" + Fmt.text(p.executable()) + ")"));
            facts.add(new Views.Fact("GIL", p.gil() ? "on" : "off" + (p.freeThreadedBuild() ? " (free-threaded build)" : "")));
            facts.add(new Views.Fact("Build", Fmt.text(p.build()) + ", " + Fmt.text(p.compiler())));
            facts.add(new Views.Fact("Python processors / os.cpu_count()", p.availableProcessors() + " / " + p.cpuCount()));
            if (p.modules() != null) {
                var modules = new ArrayList<String>();
                new java.util.TreeMap<>(p.modules()).forEach((name, ok) -> modules.add(name + (ok ? "" : " (not importable)")));
                facts.add(new Views.Fact("Optional modules", String.join(", ", modules)));
            }
        }
        if (doc.settings() != null) {
            facts.add(new Views.Fact("Settings", plural(doc.settings().warmups(), "warm-up") + ", "
                    + plural(doc.settings().iterations(), "iteration") + " per fork, " + plural(doc.settings().forks(), "fork")
                    + ", cell timeout " + doc.settings().cellTimeoutSeconds() + " s"));
            facts.add(new Views.Fact("Fork mode", doc.forkModeSummary()
                    + (doc.settings().forkMode() == null ? " (recorded before fork modes existed)" : "")
                    + (doc.settings().shuffleSeed() == null ? "" : "; cells in a random order, seed " + doc.settings().shuffleSeed())));
        }
        if (doc.startedAt() != null) facts.add(new Views.Fact("Started", doc.startedAt()));
        return facts;
    }

    /** The run's T₁ per workload and parameters: its value, interval, and how it was measured. */
    static List<Views.Fact> oneThread(RunDocument doc) {
        var facts = new ArrayList<Views.Fact>();
        if (doc.oneThread() == null) return facts;
        for (var t : doc.oneThread()) {
            String interval = t.ciLowNanos() == null ? "" : " ± " + Fmt.duration((t.ciHighNanos() - t.ciLowNanos()) / 2);
            facts.add(new Views.Fact(t.workload() + " (" + params(t.params()) + ")", Fmt.duration(t.nanos()) + interval + " — " + t.method()));
        }
        return facts;
    }

    /** How the run's intervals were built. */
    static String interval(RunDocument doc) {
        return doc.settings() != null && doc.settings().forks() > 1
                ? "95 % confidence interval of the mean of the forks' means (each fork a fresh JVM): it covers the JVM-to-JVM variation"
                : dev.conlab.bench.stats.Summary.FROM_ITERATIONS + ": it does not show the JVM-to-JVM variation, which is often several "
                + "times wider (run with 2 or more forks)";
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    /** The bar charts of the cells that are not points of a curve (all of them in a run without sweeps). */
    static List<Views.WorkloadSection> sections(RunDocument doc) {
        List<CellSummary> summaries = CellSummary.of(doc);
        var swept = new java.util.HashSet<Integer>();
        dev.conlab.bench.stats.Curves.of(doc).forEach(c -> c.lines().forEach(l -> l.points().forEach(p -> swept.add(p.cell()))));
        Map<String, List<Integer>> byWorkload = new LinkedHashMap<>();
        for (int i = 0; i < doc.results().size(); i++) {
            if (swept.contains(i) || doc.results().get(i).jmh() != null) continue;
            byWorkload.computeIfAbsent(doc.results().get(i).workload(), k -> new ArrayList<>()).add(i);
        }
        var sections = new ArrayList<Views.WorkloadSection>();
        int n = 0;
        for (var entry : byWorkload.entrySet()) {
            List<Integer> cells = entry.getValue();
            double largest = 0;
            for (int i : cells) {
                Summary wall = summaries.get(i).wall();
                if (wall != null) largest = Math.max(largest, wall.ciHigh() != null ? wall.ciHigh() : wall.max());
                Long ideal = doc.results().get(i).idealNanos();
                if (ideal != null) largest = Math.max(largest, ideal);
            }
            ChartUnit unit = ChartUnit.forLargest(largest);
            var chart = new Bars(unit.symbol(), null);
            var rows = new ArrayList<Views.CellRow>();
            for (int i : cells) {
                CellResult cell = doc.results().get(i);
                CellSummary s = summaries.get(i);
                rows.add(row(cell, s));
                if (s.wall() == null) continue; // not charted: its row says why
                chart.add(cell.model(), cell, s.wall(), cell.idealNanos() == null ? null : unit.of(cell.idealNanos()), unit::of);
            }
            CellResult first = doc.results().get(cells.get(0));
            sections.add(new Views.WorkloadSection(entry.getKey(), params(first.params()), "chart-" + (n++), chart.json(), rows));
        }
        return sections;
    }

    /** An imported JMH file's benchmarks: one section per benchmark and mode, a bar per @Param point, in JMH's unit. */
    static List<Views.JmhSection> jmhSections(RunDocument doc) {
        Map<String, List<CellResult>> groups = new LinkedHashMap<>();
        for (CellResult cell : doc.results()) {
            if (cell.jmh() != null) groups.computeIfAbsent(cell.workload() + "\u0000" + cell.model(), k -> new ArrayList<>()).add(cell);
        }
        var sections = new ArrayList<Views.JmhSection>();
        int n = 0;
        for (List<CellResult> cells : groups.values()) {
            CellResult first = cells.get(0);
            var jmh = first.jmh();
            String direction = jmh.higherIsBetter() ? "higher is better" : "lower is better";
            var chart = new Bars(jmh.unit(), jmh.mode() + " (" + jmh.unit() + ", " + direction + ")");
            var rows = new ArrayList<Views.JmhRow>();
            for (CellResult cell : cells) {
                String label = cell.params().isEmpty() ? "(no @Param)" : params(cell.params());
                String threads = String.valueOf(cell.jmh().threads());
                String score = cell.jmh().score() == null ? "—" : Fmt.score(cell.jmh().score(), cell.jmh().unit())
                        + (cell.jmh().scoreError() == null || !Double.isFinite(cell.jmh().scoreError()) ? ""
                        : " ± " + Fmt.score(cell.jmh().scoreError(), "").strip());
                var norm = cell.jmh().secondaryMetrics() == null ? null : cell.jmh().secondaryMetrics().get("gc.alloc.rate.norm");
                String alloc = norm == null || norm.score() == null ? "—" : Fmt.score(norm.score(), Objects.requireNonNullElse(norm.unit(), ""));
                if (cell.samples().isEmpty()) {
                    rows.add(new Views.JmhRow(label, threads, cell.status().id(), false, null, null, score, alloc, "0",
                            Objects.requireNonNullElse(cell.error(), "")));
                    continue;
                }
                Summary wall = CellSummary.wall(cell);
                rows.add(new Views.JmhRow(label, threads, cell.status().id(), true, Fmt.score(wall.median(), jmh.unit()),
                        wall.ciLow() == null ? "—" : "± " + Fmt.score((wall.ciHigh() - wall.ciLow()) / 2, jmh.unit()), score, alloc,
                        String.valueOf(cell.samples().size()), null));
                chart.add(label, cell, wall, null, v -> v);
            }
            String swept = dev.conlab.bench.jmh.JmhSweeps.parameter(cells);
            String curve = swept == null ? null : jmhCurve(cells, swept, jmh.unit(), jmh.mode() + " (" + jmh.unit() + ", " + direction + ")");
            sections.add(new Views.JmhSection("jmh-" + (n++), first.workload() + " — " + jmh.mode(), jmh.benchmark(), jmh.mode(), jmh.unit(),
                    direction, curve == null ? chart.json() : null, curve, swept, rows));
        }
        return sections;
    }

    static final String[] LINE_COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    /**
     * A JMH sweep as app.js's {@code data-jmh-curve} reads it: a line per the other @Params and thread count, each point the
     * lab's median of JMH's raw data at one value of the swept @Param with its 95 % interval.
     */
    private static String jmhCurve(List<CellResult> cells, String swept, String unit, String yTitle) {
        Map<String, List<CellResult>> byLine = new LinkedHashMap<>();
        for (CellResult c : cells) byLine.computeIfAbsent(dev.conlab.bench.jmh.JmhSweeps.line(c, swept), k -> new ArrayList<>()).add(c);
        ObjectNode chart = Json.MAPPER.createObjectNode();
        chart.put("xLabel", "@Param " + swept);
        chart.put("yTitle", yTitle);
        chart.put("unit", unit);
        ArrayNode lines = chart.putArray("lines");
        int i = 0;
        for (var e : byLine.entrySet()) {
            ObjectNode line = lines.addObject();
            line.put("label", e.getKey());
            line.put("color", LINE_COLORS[i++ % LINE_COLORS.length]);
            ArrayNode points = line.putArray("points");
            var sorted = new ArrayList<>(e.getValue());
            sorted.sort(java.util.Comparator.comparingDouble(c -> dev.conlab.bench.jmh.JmhSweeps.value(c.params().get(swept))));
            for (CellResult c : sorted) {
                if (c.samples().isEmpty()) continue;
                Summary s = CellSummary.wall(c);
                ObjectNode p = points.addObject();
                p.put("x", dev.conlab.bench.jmh.JmhSweeps.value(c.params().get(swept)));
                p.put("median", s.median());
                if (s.ciLow() != null) p.put("low", s.ciLow());
                if (s.ciHigh() != null) p.put("high", s.ciHigh());
            }
        }
        return chart.toString();
    }

    /**
     * A bar chart's data as app.js's {@code data-chart} reads it: per bar a label, its colour (the model's), the median
     * and its interval, the ideal and every sample as a dot, each already in the chart's unit.
     */
    private static final class Bars {
        private final ObjectNode chart = Json.MAPPER.createObjectNode();
        private final ArrayNode labels;
        private final ArrayNode colors;
        private final ArrayNode medians;
        private final ArrayNode low;
        private final ArrayNode high;
        private final ArrayNode ideal;
        private final ArrayNode samples;

        /** @param yTitle the y axis's title, or null for app.js's "wall time (unit)" */
        Bars(String unit, String yTitle) {
            chart.put("unit", unit);
            if (yTitle != null) chart.put("yTitle", yTitle);
            labels = chart.putArray("models");
            colors = chart.putArray("colors");
            medians = chart.putArray("medians");
            low = chart.putArray("ciLow");
            high = chart.putArray("ciHigh");
            ideal = chart.putArray("ideal");
            samples = chart.putArray("samples");
        }

        /** A bar: the cell's wall (or score) statistics and samples through {@code inUnit}; {@code idealValue} already in the unit. */
        void add(String label, CellResult cell, Summary wall, Double idealValue, java.util.function.DoubleUnaryOperator inUnit) {
            labels.add(label);
            colors.add(dev.conlab.bench.Vocabulary.colour(cell.model()));
            medians.add(inUnit.applyAsDouble(wall.median()));
            if (wall.ciLow() != null) low.add(inUnit.applyAsDouble(wall.ciLow())); else low.addNull();
            if (wall.ciHigh() != null) high.add(inUnit.applyAsDouble(wall.ciHigh())); else high.addNull();
            if (idealValue != null) ideal.add(idealValue); else ideal.addNull();
            ArrayNode dots = samples.addArray();
            // the clean forks' samples: the disturbed ones are left out of the bar and its interval, and of the dots
            for (Sample sample : cell.cleanSamples()) dots.add(inUnit.applyAsDouble(sample.value()));
        }

        String json() {
            return chart.toString();
        }
    }

    private static Views.CellRow row(CellResult cell, CellSummary s) {
        if (s.wall() == null) {
            return new Views.CellRow(cell.model(), cell.status().id(), false, null, null, null, null, null, null, null, null, null,
                    null, cell.error() == null ? "" : cell.error(), "0", null, null, null, null);
        }
        Summary wall = s.wall();
        List<Sample> samples = cell.cleanSamples();
        var facts = dev.conlab.bench.stats.ForkFacts.of(cell);
        String forks = facts.forks() == 0 ? String.valueOf(wall.forks())
                : (facts.forks() - facts.disturbed()) + (facts.disturbed() > 0 ? " + " + facts.disturbed() + " disturbed" : "");
        Integer cpus = cell.forks() == null ? null : cell.forks().stream().map(f -> f.machine() == null ? null : f.machine().cpus())
                .filter(Objects::nonNull).findFirst().orElse(null);
        String capacity = facts.capacity() == null ? "—" : Fmt.number(facts.capacity() * (cpus == null ? 1 : cpus))
                + (cpus == null ? " of P" : " of " + cpus + " CPU" + (cpus == 1 ? "" : "s"));
        return new Views.CellRow(cell.model(), cell.status().id(), cell.status() == CellStatus.OK,
                Fmt.duration(wall.median()),
                wall.ciLow() == null ? "—" : "± " + Fmt.duration((wall.ciHigh() - wall.ciLow()) / 2),
                s.speedup() == null ? "—" : Fmt.number(s.speedup()) + "×" + (s.speedupLow() == null ? ""
                        : " (" + Fmt.number(s.speedupLow()) + "–" + Fmt.number(s.speedupHigh()) + ", paired over " + s.pairedRounds() + " rounds)"),
                s.efficiency() == null ? "—" : Fmt.percent(s.efficiency()) + (s.efficiencyLow() == null ? ""
                        : " (" + Fmt.percent(s.efficiencyLow()).replace(" %", "") + "–" + Fmt.percent(s.efficiencyHigh()) + ")"),
                medianOf(samples, Sample::cpuNanos, Fmt::duration),
                s.cpuUtilisation() == null ? "—" : Fmt.number(s.cpuUtilisation()),
                medianOf(samples, Sample::allocBytes, v -> Fmt.bytes(Math.round(v))),
                medianOf(samples, Sample::gcCount, v -> Fmt.number(v) + (v == 1 ? " collection, " : " collections, "))
                        + medianOf(samples, Sample::gcNanos, Fmt::duration),
                medianOf(samples, Sample::peakThreads, v -> String.valueOf(Math.round(v))),
                medianOf(samples, Sample::ctxSwitchesVoluntary, v -> String.valueOf(Math.round(v))) + " + "
                        + medianOf(samples, Sample::ctxSwitchesInvoluntary, v -> String.valueOf(Math.round(v))),
                cell.error(), String.valueOf(samples.size()), s.flag(), forks, capacity, s.disturbed());
    }

    private static String medianOf(List<Sample> samples, java.util.function.Function<Sample, Long> metric,
                                   java.util.function.DoubleFunction<String> format) {
        double[] values = samples.stream().map(metric).filter(Objects::nonNull).mapToDouble(Long::doubleValue).toArray();
        return values.length == 0 ? "—" : format.apply(dev.conlab.bench.stats.Stats.summarize(values).median());
    }

    private static String params(Map<String, Object> params) {
        if (params == null || params.isEmpty()) return "";
        var parts = new ArrayList<String>();
        params.forEach((k, v) -> parts.add(k + " = " + v));
        return String.join(", ", parts);
    }
}
