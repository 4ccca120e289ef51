package dev.conlab.server.history;

import dev.conlab.bench.stats.StepDetector;
import dev.conlab.db.MachineStore;
import dev.conlab.db.RunStore;
import dev.conlab.server.core.LabException;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A machine's history: for one cell (workload × model), every finished run of the machine as a point — its median with
 * its 95 % interval — one line per runtime (JDK 17, JDK 25, CPython 3.11: the lines are not one series), in the order the
 * runs were measured; and the steps {@link StepDetector} finds in each line, as alerts that link to the comparison of the
 * runs on either side. Regressions (slower) are alerts; improvements are reported beside them.
 */
public final class HistoryService {

    /** How many of a machine's latest finished runs a history reads (those with the cell are its points). */
    public static final int MAX_RUNS = 500;
    /** How many of a machine's latest runs the alerts look at (all its cells in one pass). */
    public static final int ALERT_RUNS = 200;

    /**
     * One run of the line: when, on which version, its median and interval (ns); how many of its forks were disturbed (left
     * out) and the machine's median capacity beside them (a share of its CPUs) — null for runs from before they were measured.
     */
    public record Point(long runId, OffsetDateTime at, String version, double median, Double ciLow, Double ciHigh, int samples,
                        Integer disturbedForks, Double capacity) {
    }

    /** A step's kinds: slower, faster, or a step of the machine's own capacity at the same runs (not the code's). */
    public static final String REGRESSION = "regression";
    public static final String IMPROVEMENT = "improvement";
    public static final String MACHINE = "machine";

    /** One runtime's runs, oldest first; {@code updates} are the indexes where the version changed (a JDK update). */
    public record Line(String runtime, List<Point> points, List<Integer> updates) {
    }

    /**
     * A step in a line: {@code kind} is {@value #REGRESSION} (slower), {@value #IMPROVEMENT}, or {@value #MACHINE} when the
     * machine's capacity stepped the same way at the same runs (the machine changed, not necessarily the code); {@code before}
     * and {@code after} the runs on either side, {@code change} after ÷ before − 1 of the windows' geometric means.
     */
    public record Alert(String kind, long machineId, String machine, String workload, String model, String runtime, long beforeRunId,
                        long afterRunId, OffsetDateTime at, String versionBefore, String versionAfter, double beforeMedian,
                        double afterMedian, double change, double p, String compareUrl, String historyUrl, String sentence) {
    }

    /**
     * @param unit           the medians' unit: ns, or an imported JMH benchmark's
     * @param higherIsBetter true for a JMH throughput (a step up is an improvement)
     */
    public record History(long machineId, String machine, String workload, String model, Map<String, Object> params, List<Line> lines,
                          List<Alert> alerts, String unit, boolean higherIsBetter) {
    }

    private final RunStore runStore;
    private final MachineStore machines;

    public HistoryService(RunStore runStore, MachineStore machines) {
        this.runStore = runStore;
        this.machines = machines;
    }

    /** The history of one cell on one machine. */
    public History history(long machineId, String workload, String model) {
        MachineStore.Machine machine = machines.machine(machineId)
                .orElseThrow(() -> new LabException.NotFound("no machine " + machineId + "; GET /api/machines lists them"));
        if (workload == null || workload.isBlank() || model == null || model.isBlank()) {
            throw new LabException.Invalid("name the cell: ?workload=…&model=… (the machine's cells: " + String.join(", ", cells(machineId)) + ")");
        }
        // kept until the machine's runs change (a history of hundreds of runs is read far more often than it changes)
        String key = machineKey(machine);
        String cellKey = machineId + "\u0000" + workload + "\u0000" + model;
        synchronized (histories) {
            var kept = histories.get(cellKey);
            if (kept != null && kept.getKey().equals(key)) return kept.getValue();
        }
        History computed = compute(machine, workload, model);
        synchronized (histories) {
            histories.put(cellKey, Map.entry(key, computed));
        }
        return computed;
    }

    /** Histories kept, by machine and cell, with the machine's key they were computed under. */
    private final Map<String, Map.Entry<String, History>> histories = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map.Entry<String, History>> eldest) {
            return size() > 256;
        }
    };

    /** What changes when a machine's finished runs or its label do: its label, its run count, its newest finished run. */
    private String machineKey(MachineStore.Machine m) {
        var newest = runStore.finishedRuns(m.id(), 1);
        return m.label() + "|" + m.runs() + "|" + (newest.isEmpty() ? "" : newest.get(0).id() + "@" + newest.get(0).finishedAt());
    }

    private History compute(MachineStore.Machine machine, String workload, String model) {
        long machineId = machine.id();
        // the machine's latest finished runs (an index range), then this cell's statistics in them as stored with each cell
        List<RunStore.RunRow> rows = finishedRuns(machineId, MAX_RUNS);
        var stats = new LinkedHashMap<Long, List<RunStore.CellStat>>();
        for (RunStore.CellStat c : runStore.cellStats(rows.stream().map(RunStore.RunRow::id).toList(), workload, model)) {
            stats.computeIfAbsent(c.runId(), k -> new ArrayList<>()).add(c);
        }
        rows.removeIf(r -> !stats.containsKey(r.id()));
        if (rows.isEmpty()) {
            throw new LabException.NotFound("machine " + machineId + " has no finished run with " + workload + " × " + model
                    + " among its latest " + MAX_RUNS + "; its cells: " + String.join(", ", cells(machineId)));
        }
        // a sweep has several cells of one workload × model: the history follows the parameters of the latest run's first one
        RunStore.CellStat latest = null;
        for (int i = rows.size() - 1; i >= 0 && latest == null; i--) {
            var list = stats.get(rows.get(i).id());
            if (list != null) latest = list.get(0);
        }
        Map<String, Object> params = latest == null ? null : params(latest.paramsJson());
        String unit = latest == null || latest.unit() == null ? "ns" : latest.unit();
        boolean higher = latest != null && latest.higherIsBetter();
        var byRuntime = new LinkedHashMap<String, List<Point>>();
        for (RunStore.RunRow row : rows) {
            if (latest == null) break;
            String wanted = latest.paramsJson();
            var cell = stats.getOrDefault(row.id(), List.of()).stream().filter(c -> c.paramsJson().equals(wanted)).findFirst().orElse(null);
            if (cell == null) continue;
            byRuntime.computeIfAbsent(row.runtimeLabel(), k -> new ArrayList<>()).add(new Point(row.id(), at(row), row.jdkVersion(), cell.median(),
                    cell.ciLow(), cell.ciHigh(), cell.samples(), cell.disturbedForks(), cell.capacity()));
        }
        var lines = new ArrayList<Line>();
        var alerts = new ArrayList<Alert>();
        for (var e : byRuntime.entrySet()) {
            List<Point> points = e.getValue();
            var updates = new ArrayList<Integer>();
            for (int i = 1; i < points.size(); i++) if (!Objects.equals(points.get(i).version(), points.get(i - 1).version())) updates.add(i);
            lines.add(new Line(e.getKey(), List.copyOf(points), List.copyOf(updates)));
            alerts.addAll(alerts(machine, workload, model, e.getKey(), points, unit, higher));
        }
        alerts.sort(Comparator.comparing(Alert::at).reversed());
        return new History(machineId, machine.label(), workload, model, params, List.copyOf(lines), List.copyOf(alerts), unit, higher);
    }

    private volatile Map.Entry<String, List<Alert>> allAlerts;
    private volatile long allAlertsAt;

    private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Every alert of a machine (or of every machine: null), newest first. All machines' are kept until a run is stored,
     * and then computed again at most every 30 s in the background: a page never waits for them (until the first
     * computation, which a server starts as it starts, they are none).
     */
    public List<Alert> alerts(Long machineId) {
        return alerts(machineId, false);
    }

    /**
     * @param fresh for every machine: computed again now if a run was stored since (the feed: a subscriber polls it
     *              rarely and must not miss the newest step); otherwise as {@link #alerts(Long)}
     */
    public List<Alert> alerts(Long machineId, boolean fresh) {
        if (machineId != null) return computeAlerts(machineId);
        if (fresh) return refreshAll();
        var cached = allAlerts;
        if (cached == null) {
            // not computed yet (a server that just started): the page does not wait for every machine's alerts
            refreshInBackground();
            return List.of();
        }
        if (!cached.getKey().equals(runStore.finishedVersion()) && System.nanoTime() - allAlertsAt >= 30_000_000_000L) refreshInBackground();
        return cached.getValue();
    }

    /** Computes every machine's alerts in the background (a server does it as it starts). */
    public void warm() {
        refreshInBackground();
    }

    private void refreshInBackground() {
        if (!refreshing.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                refreshAll();
            } catch (RuntimeException e) {
                System.getLogger(HistoryService.class.getName()).log(System.Logger.Level.WARNING, "computing the alerts failed", e);
            } finally {
                refreshing.set(false);
            }
        }, "conlab-alerts");
        t.setDaemon(true);
        t.start();
    }

    private synchronized List<Alert> refreshAll() {
        String version = runStore.finishedVersion();
        var cached = allAlerts;
        if (cached != null && cached.getKey().equals(version)) return cached.getValue();
        List<Alert> all = List.copyOf(computeAlerts(null));
        allAlerts = Map.entry(version, all);
        allAlertsAt = System.nanoTime();
        return all;
    }

    private List<Alert> computeAlerts(Long machineId) {
        var all = new ArrayList<Alert>();
        List<MachineStore.Machine> chosen = machineId == null ? machines.list()
                : List.of(machines.machine(machineId).orElseThrow(() -> new LabException.NotFound("no machine " + machineId)));
        for (MachineStore.Machine m : chosen) {
            // one pass over the machine's latest runs: each run's figures once, every cell's point appended to its line
            // a machine whose runs did not change since its alerts were computed keeps them (under uploads, one machine changes)
            String key = machineKey(m);
            var kept = perMachine.get(m.id());
            if (kept != null && kept.getKey().equals(key)) {
                all.addAll(kept.getValue());
                continue;
            }
            var mine = new ArrayList<Alert>();
            var rows = finishedRuns(m.id(), ALERT_RUNS);
            var lines = new LinkedHashMap<List<Object>, List<Point>>(); // (workload, model, params, runtime, unit, direction) → points
            var byRun = new java.util.HashMap<Long, RunStore.RunRow>();
            for (RunStore.RunRow row : rows) byRun.put(row.id(), row);
            var stats = new java.util.HashMap<Long, List<RunStore.CellStat>>();
            for (RunStore.CellStat c : runStore.cellStats(byRun.keySet(), null, null)) stats.computeIfAbsent(c.runId(), k -> new ArrayList<>()).add(c);
            // one query for the machine's cells, their statistics as stored; the points in the order the runs were measured
            for (RunStore.RunRow row : rows) {
                for (RunStore.CellStat c : stats.getOrDefault(row.id(), List.of())) {
                    lines.computeIfAbsent(java.util.Arrays.asList(c.workload(), c.model(), c.paramsJson(), row.runtimeLabel(),
                                    c.unit() == null ? "ns" : c.unit(), c.higherIsBetter()), k -> new ArrayList<>())
                            .add(new Point(row.id(), at(row), row.jdkVersion(), c.median(), c.ciLow(), c.ciHigh(), c.samples(),
                                    c.disturbedForks(), c.capacity()));
                }
            }
            for (var e : lines.entrySet()) {
                if (e.getValue().size() < StepDetector.WINDOW + StepDetector.MIN_AFTER) continue;
                mine.addAll(alerts(m, (String) e.getKey().get(0), (String) e.getKey().get(1), (String) e.getKey().get(3), e.getValue(),
                        (String) e.getKey().get(4), (Boolean) e.getKey().get(5)));
            }
            perMachine.put(m.id(), Map.entry(key, List.copyOf(mine)));
            all.addAll(mine);
        }
        all.sort(Comparator.comparing(Alert::at).reversed());
        return all;
    }

    private List<String> cells(long machineId) {
        return cellsOf(machineId).stream().map(c -> c[0] + " × " + c[1]).toList();
    }

    /** A machine's cells, {workload, model}, of its latest finished runs, sorted: kept until its runs change. */
    public List<String[]> cellsOf(long machineId) {
        MachineStore.Machine m = machines.machine(machineId).orElse(null);
        if (m == null) return List.of();
        String key = machineKey(m);
        var kept = cellLists.get(machineId);
        if (kept != null && kept.getKey().equals(key)) return kept.getValue();
        List<String[]> cells = List.copyOf(runStore.cellsOf(machineId));
        cellLists.put(machineId, Map.entry(key, cells));
        return cells;
    }

    private final Map<Long, Map.Entry<String, List<String[]>>> cellLists = new java.util.concurrent.ConcurrentHashMap<>();

    /** The latest {@code limit} runs the filter matches, the finished ones, oldest first. */
    private final Map<Long, Map.Entry<String, List<Alert>>> perMachine = new java.util.concurrent.ConcurrentHashMap<>();

    /** A machine's latest {@code limit} finished runs, oldest first. */
    private List<RunStore.RunRow> finishedRuns(long machineId, int limit) {
        var rows = new ArrayList<>(runStore.finishedRuns(machineId, limit));
        // in the order they were measured: an import of old nightly runs arrives in any order
        rows.sort(Comparator.comparing(HistoryService::at).thenComparing(RunStore.RunRow::id));
        return rows;
    }

    private static OffsetDateTime at(RunStore.RunRow row) {
        return row.startedAt() != null ? row.startedAt() : row.createdAt();
    }

    private static Map<String, Object> params(String json) {
        try {
            return dev.conlab.bench.Json.MAPPER.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable parameters in a cell column", e);
        }
    }

    /** The steps of one line; for a JMH throughput (higher is better) a step up is an improvement. */
    private static List<Alert> alerts(MachineStore.Machine machine, String workload, String model, String runtime, List<Point> points,
                                      String unit, boolean higherIsBetter) {
        java.util.function.DoubleFunction<String> format = "ns".equals(unit) ? dev.conlab.server.core.Fmt::duration
                : v -> dev.conlab.server.core.Fmt.score(v, unit);
        double[] medians = points.stream().mapToDouble(Point::median).toArray();
        var alerts = new ArrayList<Alert>();
        for (StepDetector.Step step : StepDetector.detect(medians)) {
            Point before = points.get(step.index() - 1);
            Point after = points.get(step.index());
            double change = step.ratio() - 1;
            boolean slower = change > 0 != higherIsBetter;
            String machineStep = machineStep(points, step.index(), slower);
            String kind = machineStep != null ? MACHINE : slower ? REGRESSION : IMPROVEMENT;
            String versions = Objects.equals(before.version(), after.version()) ? "on " + runtime + " " + after.version()
                    : "with the update " + before.version() + " → " + after.version();
            String sentence = String.format(java.util.Locale.ROOT, "%s × %s on %s got %.1f %% %s %s: %s → %s (runs #%d → #%d, p = %.1g)",
                    workload, model, machine.label(), Math.abs(change) * 100, slower ? "slower" : "faster", versions,
                    format.apply(step.before()), format.apply(step.after()),
                    before.runId(), after.runId(), step.p()) + (machineStep == null ? "" : "; " + machineStep);
            String query = "workload=" + encode(workload) + "&model=" + encode(model);
            alerts.add(new Alert(kind, machine.id(), machine.label(), workload, model, runtime, before.runId(), after.runId(), after.at(),
                    before.version(), after.version(), step.before(), step.after(), change, step.p(),
                    "/compare?runs=" + before.runId() + "," + after.runId() + "&baseline=" + before.runId() + "&workloads=" + encode(workload)
                            + "&models=" + encode(model),
                    "/machines/" + machine.id() + "/history?" + query, sentence));
        }
        return alerts;
    }

    /**
     * Whether the machine's capacity stepped at the same runs, the way that explains the cell's step (less capacity and
     * slower, or more and faster): the capacities of the windows on either side, tested as the times are. A sentence that
     * says so, or null (no step of the capacity, or too few runs that measured it).
     */
    static String machineStep(List<Point> points, int index, boolean slower) {
        double[] before = points.subList(Math.max(0, index - StepDetector.WINDOW), index).stream().map(Point::capacity)
                .filter(Objects::nonNull).filter(c -> c > 0).mapToDouble(Double::doubleValue).toArray();
        double[] after = points.subList(index, Math.min(points.size(), index + StepDetector.WINDOW)).stream().map(Point::capacity)
                .filter(Objects::nonNull).filter(c -> c > 0).mapToDouble(Double::doubleValue).toArray();
        if (before.length < 3 || after.length < 3) return null;
        var test = dev.conlab.bench.stats.RatioTest.withoutInterval(before, after);
        if (test.p() == null || test.p() >= 0.05 || Math.abs(test.ratio() - 1) * 100 < StepDetector.MIN_CHANGE_PERCENT) return null;
        boolean less = test.ratio() < 1;
        if (less != slower) return null;
        return String.format(java.util.Locale.ROOT, "but the machine's own capacity stepped at the same runs (%.2f → %.2f of its CPUs, "
                + "p = %.1g): the machine changed, not necessarily the code — measure both sides again in one sitting (--interleave)",
                geometricMean(before), geometricMean(after), test.p());
    }

    private static double geometricMean(double[] values) {
        double sum = 0;
        for (double v : values) sum += Math.log(v);
        return Math.exp(sum / values.length);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }
}
