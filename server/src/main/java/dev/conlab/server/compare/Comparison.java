package dev.conlab.server.compare;

import dev.conlab.bench.Catalog;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Sweep;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.bench.stats.RatioTest;
import dev.conlab.bench.stats.Stats;
import dev.conlab.bench.stats.Summary;
import dev.conlab.server.core.Fmt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs side by side against a baseline: per workload × model each run's median with its 95 % CI, the ratio
 * to the baseline's with its 95 % CI and a verdict (Welch's t-test on log times, {@link RatioTest}); and on
 * top the environment facts that differ, with a warning where that makes cells not comparable.
 * The numbers are the JSON export; the compare page and the permalinks show the same.
 */
public record Comparison(List<RunRef> runs, long baseline, List<Fact> environment, List<String> warnings,
                         List<WorkloadBlock> workloads, String method) {

    public static final String METHOD = "Each cell's ratio is the geometric mean of the run's times ÷ the baseline's, with the 95 % "
            + "confidence interval of Welch's t-test on log times (one observation per fork — its geometric mean — when a cell ran in "
            + "2 or more fresh JVMs, else every iteration); the verdict is that test at the 5 % level (faster, slower, or no "
            + "significant difference). Runs measured in one interleaved sitting (--interleave) are paired instead: each round's "
            + "fork against the baseline's fork of the same round, the ratio's interval and verdict from Student's t on the rounds' "
            + "log-ratios ('paired, N rounds'), so that the machine's drift between rounds cancels out. Disturbed forks are left out "
            + "of every figure. Medians carry the 95 % CI of the mean (of the forks' means with 2 or more forks).";

    public record RunRef(long id, String label, String machine, String jdk, String suite, String source, boolean baseline) {
    }

    /** An environment fact, its value per run (in the runs' order), and whether the runs differ in it. */
    public record Fact(String name, List<String> values, boolean differs) {
    }

    /** The environment fact of the processors a run's runtime saw (the JVM's or the interpreter's), in comparisons across runtimes. */
    static final String RUNTIME_PROCESSORS = "Processors the runtime saw";

    /** The status of a cell a run does not have. */
    public static final String MISSING = "missing";

    /**
     * One run's figures for a cell; null fields where the run has no such cell or no samples (status: a cell status or
     * {@value #MISSING}).
     *
     * @param model in the {@value #BEST} row, the run's fastest model of the workload; null in every other row
     */
    public record Entry(long run, String status, Double medianNanos, Double ciLowNanos, Double ciHighNanos, Integer samples,
                        Double ratio, Double ratioLow, Double ratioHigh, Double p, String verdict, String model,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String unit,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Boolean higherIsBetter,
                        Boolean paired, Integer rounds,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String disturbed) {

        public Entry(long run, String status, Double medianNanos, Double ciLowNanos, Double ciHighNanos, Integer samples, Double ratio,
                     Double ratioLow, Double ratioHigh, Double p, String verdict, String model) {
            this(run, status, medianNanos, ciLowNanos, ciHighNanos, samples, ratio, ratioLow, ratioHigh, p, verdict, model, null, null,
                    false, null, null);
        }
    }

    /**
     * The row of a comparison of runs on different runtimes (a JVM run and a Python run): per workload, each run's fastest
     * model (lowest median of its cells that finished, outside sweeps), and its ratio to the baseline run's fastest.
     */
    public static final String BEST = "best-model";

    /** The verdict of a {@value #BEST} entry whose workload ran with other parameters than the baseline's: no ratio. */
    public static final String NOT_COMPARABLE = "not comparable: other parameters,";

    /**
     * One model (at one point of a sweep) across the runs.
     *
     * @param point the swept parameters' values of this row ({@code tasks=1000}), null outside sweeps (and in comparisons
     *              shared before sweeps existed)
     * @param x     the first swept value (an imported JMH benchmark's: its numeric @Param that varies), for the overlay
     *              chart; null outside sweeps
     * @param line  which line of the overlay chart the row is a point of: the model, or for a JMH benchmark its mode,
     *              other @Params and threads; null outside sweeps (and in comparisons shared before JMH sweeps were drawn)
     * @param swept the name of the parameter {@code x} is a value of (the overlay chart's x axis); null where {@code line} is
     */
    public record Row(String workload, String model, List<Entry> entries, double largestChange, String point, Double x,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String line,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String swept) {
    }

    /** Where a row of a sweep sits on the overlay chart. */
    private record Curved(double x, String line, String swept) {
    }

    public record WorkloadBlock(String workload, boolean cpuBound, List<Row> rows) {
    }

    /** One run to compare: its id, a label, and its document (full, or its cells so far). */
    public record Input(long id, String machineLabel, String source, RunDocument document) {
    }

    /**
     * @param workloads only these (empty: all)
     * @param models    only these (empty: all)
     * @param sortByChange rows with the largest difference from the baseline first
     */
    public static Comparison of(List<Input> inputs, long baselineId, Set<String> workloads, Set<String> models, boolean sortByChange) {
        Input base = inputs.stream().filter(i -> i.id() == baselineId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the baseline must be one of the runs"));
        var refs = new ArrayList<RunRef>();
        for (Input in : inputs) {
            RunDocument d = in.document();
            refs.add(new RunRef(in.id(), "#" + in.id() + " " + in.machineLabel() + " " + d.runtimeLabel(),
                    in.machineLabel(), d.runtimeVersion(), d.suite(), in.source(), in.id() == baselineId));
        }
        List<Fact> environment = environment(inputs);
        var warnings = new ArrayList<String>();
        boolean coresDiffer = environment.stream().anyMatch(f -> f.differs() && (f.name().equals("Logical CPUs")
                || f.name().equals("Container CPU limit") || f.name().equals("JVM processors") || f.name().equals(RUNTIME_PROCESSORS)));
        if (coresDiffer) {
            String cpuBound = String.join(", ", inputs.stream().flatMap(i -> i.document().results().stream()).map(c -> c.workload())
                    .filter(dev.conlab.bench.Vocabulary::isCpuBound).distinct().sorted().toList());
            warnings.add("The runs had different numbers of cores: CPU-bound workloads (" + cpuBound
                    + ") are not comparable between them; their ratios measure the hardware, not the model or the JDK.");
        }
        if (environment.stream().anyMatch(f -> f.differs() && f.name().equals("CPU"))) {
            warnings.add("The runs were measured on different CPU models: every ratio includes the hardware's difference.");
        }
        if (inputs.stream().map(i -> i.document().suite()).distinct().count() > 1) {
            warnings.add("The runs are of different suites (different sizes): compare runs of one suite.");
        }

        // every workload × model (× point of a sweep) of any run, in the order they first appear
        Map<String, Map<String, Map<Long, CellResult>>> cells = new LinkedHashMap<>();
        Map<String, String> points = new LinkedHashMap<>();
        Map<String, Curved> curved = new LinkedHashMap<>();
        Map<String, String> jmhSwept = jmhSweeps(inputs, workloads, models);
        for (Input in : inputs) {
            List<Sweep> sweeps = in.document().swept() ? in.document().sweeps() : List.of();
            for (CellResult cell : in.document().results()) {
                if (!workloads.isEmpty() && !workloads.contains(cell.workload())) continue;
                if (!models.isEmpty() && !models.contains(cell.model())) continue;
                var point = new StringBuilder();
                Curved on = null;
                if (cell.jmh() != null) {
                    String swept = jmhSwept.get(cell.workload() + "\u0000" + cell.model());
                    if (swept != null) {
                        on = new Curved(dev.conlab.bench.jmh.JmhSweeps.value(cell.params().get(swept)),
                                cell.model() + ", " + dev.conlab.bench.jmh.JmhSweeps.line(cell, swept), swept);
                    }
                    // an imported JMH benchmark: one row per mode, @Param values and threads
                    for (var p : cell.params().entrySet()) {
                        point.append(point.length() == 0 ? "" : ", ").append(p.getKey()).append('=').append(p.getValue());
                    }
                    if (cell.jmh().threads() != 1) point.append(point.length() == 0 ? "" : ", ").append("threads=").append(cell.jmh().threads());
                }
                for (Sweep sweep : sweeps) {
                    Object value = sweep.owner().equals(cell.workload()) ? cell.params().get(sweep.name())
                            : sweep.owner().equals(cell.model()) ? cell.modelParams().get(sweep.name()) : null;
                    if (value == null) continue;
                    point.append(point.length() == 0 ? "" : ", ").append(sweep.name()).append('=').append(value);
                    if (on == null && value instanceof Number number) on = new Curved(number.doubleValue(), cell.model(), sweep.name());
                }
                String key = point.length() == 0 ? cell.model() : cell.model() + "\u0000" + point;
                if (point.length() > 0) {
                    points.put(cell.workload() + "\u0000" + key, point.toString());
                    if (on != null) curved.put(cell.workload() + "\u0000" + key, on);
                }
                cells.computeIfAbsent(cell.workload(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(key, k -> new LinkedHashMap<>()).put(in.id(), cell);
            }
        }
        var blocks = new ArrayList<WorkloadBlock>();
        for (var w : cells.entrySet()) {
            var rows = new ArrayList<Row>();
            for (var m : w.getValue().entrySet()) {
                CellResult baseCell = m.getValue().get(base.id());
                var entries = new ArrayList<Entry>();
                double largest = 0;
                for (Input in : inputs) {
                    CellResult cell = m.getValue().get(in.id());
                    if (cell == null) {
                        entries.add(new Entry(in.id(), MISSING, null, null, null, 0, null, null, null, null, null, null));
                        continue;
                    }
                    double[] t = times(cell);
                    if (t.length == 0) {
                        entries.add(new Entry(in.id(), cell.status().id(), null, null, null, 0, null, null, null, null, null, null));
                        continue;
                    }
                    Entry e = measured(in.id(), cell, baseCell, in.id() != base.id(), base.document().interleavedWith(in.document()), null, null);
                    if (e.ratio() != null) largest = Math.max(largest, Math.abs(Math.log(e.ratio())));
                    entries.add(e);
                }
                String rowKey = w.getKey() + "\u0000" + m.getKey();
                String model = m.getKey().contains("\u0000") ? m.getKey().substring(0, m.getKey().indexOf('\u0000')) : m.getKey();
                Curved on = curved.get(rowKey);
                rows.add(new Row(w.getKey(), model, entries, largest, points.get(rowKey), on == null ? null : on.x(),
                        on == null ? null : on.line(), on == null ? null : on.swept()));
            }
            if (sortByChange) rows.sort(Comparator.comparingDouble(Row::largestChange).reversed());
            if (inputs.stream().map(i -> i.document().runtime()).distinct().count() > 1) {
                Row best = best(w.getKey(), w.getValue(), inputs, base);
                if (best != null) rows.add(0, best);
            }
            blocks.add(new WorkloadBlock(w.getKey(), dev.conlab.bench.Vocabulary.isCpuBound(w.getKey()), rows));
        }
        if (sortByChange) {
            blocks.sort(Comparator.comparingDouble((WorkloadBlock b) -> b.rows().stream().mapToDouble(Row::largestChange).max().orElse(0)).reversed());
        }
        return new Comparison(refs, baselineId, environment, warnings, blocks, METHOD);
    }

    /**
     * The @Param each imported JMH benchmark × mode sweeps, over the cells of all the runs (a file of one point per run
     * still draws as one curve per run): workload + NUL + mode → parameter; absent when none varies.
     */
    private static Map<String, String> jmhSweeps(List<Input> inputs, Set<String> workloads, Set<String> models) {
        Map<String, List<CellResult>> cells = new LinkedHashMap<>();
        for (Input in : inputs) {
            for (CellResult cell : in.document().results()) {
                if (cell.jmh() == null || (!workloads.isEmpty() && !workloads.contains(cell.workload()))
                        || (!models.isEmpty() && !models.contains(cell.model()))) continue;
                cells.computeIfAbsent(cell.workload() + "\u0000" + cell.model(), k -> new ArrayList<>()).add(cell);
            }
        }
        Map<String, String> swept = new LinkedHashMap<>();
        cells.forEach((key, list) -> {
            String parameter = dev.conlab.bench.jmh.JmhSweeps.parameter(list);
            if (parameter != null) swept.put(key, parameter);
        });
        return swept;
    }

    /** Each run's fastest model of a workload (outside sweeps) and its ratio to the baseline run's fastest; null if none ran. */
    private static Row best(String workload, Map<String, Map<Long, CellResult>> byModel, List<Input> inputs, Input base) {
        Map<Long, CellResult> fastest = new LinkedHashMap<>();
        for (var m : byModel.entrySet()) {
            if (m.getKey().contains("\u0000")) continue; // a point of a sweep
            for (var e : m.getValue().entrySet()) {
                CellResult cell = e.getValue();
                if (times(cell).length == 0) continue;
                CellResult current = fastest.get(e.getKey());
                if (current == null || CellSummary.wall(cell).median() < CellSummary.wall(current).median()) fastest.put(e.getKey(), cell);
            }
        }
        if (fastest.isEmpty()) return null;
        CellResult baseCell = fastest.get(base.id());
        var entries = new ArrayList<Entry>();
        double largest = 0;
        for (Input in : inputs) {
            CellResult cell = fastest.get(in.id());
            if (cell == null) {
                entries.add(new Entry(in.id(), MISSING, null, null, null, 0, null, null, null, null, null, null));
                continue;
            }
            // the runtimes' catalogs may size a workload differently: a ratio of different work would be no ratio at all
            boolean sameWork = baseCell == null || cell.params().equals(baseCell.params());
            Entry e = measured(in.id(), cell, baseCell, in.id() != base.id() && sameWork, false,
                    sameWork ? null : NOT_COMPARABLE + " " + cell.params() + " against " + baseCell.params(), cell.model());
            if (e.ratio() != null) largest = Math.max(largest, Math.abs(Math.log(e.ratio())));
            entries.add(e);
        }
        return new Row(workload, BEST, entries, largest, null, null, null, null);
    }

    /**
     * A run's entry for a cell with samples: its median with its interval and, when {@code compare} and the baseline has
     * times, its ratio to them with the test's verdict — paired round by round when both runs were measured in one
     * interleaved sitting ({@code sitting}) and have two or more rounds in common; otherwise {@code noRatio} as the verdict.
     */
    private static Entry measured(long run, CellResult cell, CellResult baseCell, boolean compare, boolean sitting, String noRatio,
                                  String model) {
        Summary s = CellSummary.wall(cell);
        double[] baseTimes = baseCell == null ? new double[0] : RatioTest.observations(baseCell.cleanSamples());
        RatioTest r = null;
        Integer rounds = null;
        if (compare && sitting && baseCell != null) {
            var baseRounds = RatioTest.roundMeans(baseCell);
            var theseRounds = RatioTest.roundMeans(cell);
            r = RatioTest.pairedRounds(baseRounds, theseRounds);
            if (r != null) rounds = (int) theseRounds.keySet().stream().filter(baseRounds::containsKey).count();
        }
        if (r == null && compare && baseTimes.length > 0) r = RatioTest.of(baseTimes, RatioTest.observations(cell.cleanSamples()));
        String verdict = r == null ? noRatio : r.verdict();
        // a throughput (JMH's ops per time) is better higher: a ratio above 1 is the faster side
        if (r != null && cell.higherIsBetter()) {
            verdict = RatioTest.FASTER.equals(verdict) ? RatioTest.SLOWER : RatioTest.SLOWER.equals(verdict) ? RatioTest.FASTER : verdict;
        }
        return new Entry(run, cell.status().id(), s.median(), s.ciLow(), s.ciHigh(), times(cell).length,
                r == null ? null : r.ratio(), r == null ? null : r.ciLow(), r == null ? null : r.ciHigh(),
                r == null ? null : r.p(), verdict, model, cell.jmh() == null ? null : cell.jmh().unit(),
                cell.jmh() == null ? null : cell.jmh().higherIsBetter(), rounds != null, rounds, CellSummary.disturbed(cell));
    }

    private static double[] times(CellResult cell) {
        if (cell == null) return new double[0];
        return cell.cleanSamples().stream().mapToDouble(Sample::value).filter(v -> v > 0).toArray();
    }

    private static List<Fact> environment(List<Input> inputs) {
        Map<String, List<String>> facts = new LinkedHashMap<>();
        boolean anyPython = inputs.stream().anyMatch(i -> i.document().python() != null);
        for (Input in : inputs) {
            RunDocument d = in.document();
            MachineInfo m = d.machine();
            JvmInfo j = d.jvm();
            put(facts, "Machine", in.machineLabel());
            put(facts, "CPU", m == null || m.cpu() == null ? null : m.cpu().model());
            put(facts, "Logical CPUs", m == null || m.cpu() == null ? null : str(m.cpu().logicalCpus()));
            put(facts, "Container CPU limit", m == null || m.container() == null || m.container().cpuLimit() == null ? "none"
                    : str(m.container().cpuLimit()));
            put(facts, "Memory", m == null || m.memoryBytes() == null ? null : Fmt.bytes(m.memoryBytes()));
            put(facts, "OS / kernel", m == null || m.os() == null ? null : m.os().name() + " " + m.os().version() + " / " + m.os().kernel());
            if (anyPython) put(facts, "Runtime", d.runtime());
            put(facts, "JDK", j == null ? null : j.version());
            if (anyPython) put(facts, "Python", d.python() == null ? null : d.python().label() + (d.python().gil() ? "" : " (no GIL)"));
            put(facts, "JDK vendor", j == null ? null : j.vendor());
            put(facts, "GC", j == null ? null : j.gc());
            put(facts, "Max heap", j == null || j.maxHeapBytes() == null ? null : Fmt.bytes(j.maxHeapBytes()));
            if (anyPython) {
                put(facts, RUNTIME_PROCESSORS, j != null ? str(j.availableProcessors()) : d.python() == null ? null : str(d.python().availableProcessors()));
            } else {
                put(facts, "JVM processors", j == null ? null : str(j.availableProcessors()));
            }
            put(facts, "Suite", d.suite());
            put(facts, "Settings", d.settings() == null ? null : d.settings().warmups() + " warm-ups, " + d.settings().iterations()
                    + " iterations, " + d.settings().forks() + " fork(s)");
        }
        var list = new ArrayList<Fact>();
        facts.forEach((name, values) -> list.add(new Fact(name, values, new LinkedHashSet<>(values).size() > 1)));
        return list;
    }

    private static void put(Map<String, List<String>> facts, String name, String value) {
        facts.computeIfAbsent(name, k -> new ArrayList<>()).add(Objects.requireNonNullElse(value, "—"));
    }

    private static String str(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
