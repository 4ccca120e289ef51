package dev.conlab.server.web;

import dev.conlab.db.MachineStore;
import dev.conlab.db.RunStore.CellStat;
import dev.conlab.db.RunStore.RunRow;
import dev.conlab.server.core.Fmt;
import dev.conlab.server.core.Margin;
import dev.conlab.web.Views;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The overview's first lines: this host's answers (or, before it has measured anything but smoke runs, those of the machine
 * with the newest runs, named), per runtime and kind of work — waiting, CPU-bound, array, hand-off — the fastest model of the
 * newest run that measured it, its margin to the next with the interval, and its distance to the ideal, linked to the run.
 */
final class OverviewAnswers {

    /** A kind of work and the workloads that stand for it, the first measured one answering. */
    private static final Map<String, List<String>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("Waiting work", List.of("sleep-io", "http-io"));
        KINDS.put("CPU-bound work", List.of("cpu-sum", "image-resize"));
        KINDS.put("Array work", List.of("vector-add", "dot-product"));
        KINDS.put("Hand-off", List.of("producer-consumer"));
    }

    private static final int RUNS = 60;

    private OverviewAnswers() {
    }

    static Views.HostAnswers of(dev.conlab.server.runs.RunService runs, MachineStore machines, long hostId) {
        List<RunRow> rows = measured(runs.finishedRuns(hostId, RUNS));
        long machineId = hostId;
        if (rows.isEmpty()) {
            RunRow newest = null;
            for (MachineStore.Machine m : machines.list()) {
                for (RunRow r : measured(runs.finishedRuns(m.id(), 5))) {
                    if (newest == null || r.id() > newest.id()) newest = r;
                }
            }
            if (newest == null) return null;
            machineId = newest.machineId();
            rows = measured(runs.finishedRuns(machineId, RUNS));
        }
        var stats = new LinkedHashMap<Long, List<CellStat>>();
        for (CellStat s : runs.cellStats(rows.stream().map(RunRow::id).toList())) {
            stats.computeIfAbsent(s.runId(), k -> new ArrayList<>()).add(s);
        }
        var byRuntime = new LinkedHashMap<String, List<RunRow>>();
        for (RunRow r : rows) byRuntime.computeIfAbsent(r.runtimeLabel(), k -> new ArrayList<>()).add(r);
        var lines = new ArrayList<Views.HostAnswer>();
        byRuntime.forEach((runtime, list) -> KINDS.forEach((kind, workloads) -> {
            Views.HostAnswer answer = answer(runtime, kind, workloads, list, stats);
            if (answer != null) lines.add(answer);
        }));
        String machine = rows.get(0).machineLabel();
        return new Views.HostAnswers(machineId == hostId ? "this host (" + machine + ")" : machine, machineId != hostId, lines);
    }

    /**
     * Finished runs that answer: not the smoke suite's (its sizes test the lab), not a sweep's (its answer is its curve, on
     * the run's page) and not an imported JMH file's.
     */
    private static List<RunRow> measured(List<RunRow> rows) {
        return rows.stream().filter(r -> !"smoke".equals(r.suite()) && !"scaling".equals(r.suite()) && !"jmh".equals(r.source())).toList();
    }

    private static Views.HostAnswer answer(String runtime, String kind, List<String> workloads, List<RunRow> rows,
                                           Map<Long, List<CellStat>> stats) {
        for (RunRow row : rows) {
            for (String workload : workloads) {
                var cells = stats.getOrDefault(row.id(), List.of()).stream().filter(c -> c.workload().equals(workload) && (c.unit() == null || "ns".equals(c.unit())))
                        .toList();
                if (cells.isEmpty()) continue;
                String params = cells.get(0).paramsJson();
                var same = cells.stream().filter(c -> c.paramsJson().equals(params))
                        .sorted((a, b) -> Double.compare(a.median(), b.median())).toList();
                return new Views.HostAnswer(runtime, kind, workload, row.id(), sentence(same));
            }
        }
        return null;
    }

    private static String sentence(List<CellStat> cells) {
        CellStat fast = cells.get(0);
        var text = new StringBuilder(fast.model()).append(" wins at ").append(Fmt.duration(fast.median()));
        if (cells.size() > 1) {
            CellStat next = cells.get(1);
            Margin margin = Margin.of(next, fast);
            text.append(margin.clear() ? ", " + margin.text() + " ahead of " + next.model() : ", tied with " + next.model() + " (" + margin.text() + ")");
        }
        if (fast.idealNanos() != null && fast.idealNanos() > 0) {
            text.append(String.format(Locale.ROOT, "; %.2f of the ideal", fast.idealNanos() / fast.median()));
        }
        return text.append('.').toString();
    }
}
