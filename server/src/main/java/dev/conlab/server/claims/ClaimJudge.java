package dev.conlab.server.claims;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.conlab.bench.Json;
import dev.conlab.bench.Vocabulary;
import dev.conlab.db.MachineStore;
import dev.conlab.db.RunStore;
import dev.conlab.db.RunStore.CellStat;
import dev.conlab.db.RunStore.RunRow;
import dev.conlab.server.core.Margin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Sets each claim of the {@link ClaimBook} against what was measured: per machine and runtime, every condition of the claim
 * is decided on the newest finished run that has its cells, and the claim's verdict follows from them ({@link #RULE}).
 */
public final class ClaimJudge {

    public static final String HOLDS = "holds";
    public static final String PARTLY = "partly";
    public static final String DOES_NOT_HOLD = "does-not-hold";
    public static final String NOT_MEASURED = "not-measured";

    public static final String RULE = "Each condition is decided on the newest finished run of the machine and runtime that has its cells "
            + "(smoke runs left out: their sizes test the lab, not the models). "
            + "A ratio's 95 % interval combines the two cells' intervals (lower ÷ upper, upper ÷ lower), so it is wide where either is: "
            + "a condition holds when the whole interval is on its side of the threshold, fails when the whole interval is on the other, "
            + "and is undecided otherwise. A claim holds when every condition holds, does not hold when every condition fails, holds "
            + "partly otherwise (each condition says which way it went), and is not measured when no run has its cells.";

    /** What one condition found: {@code outcome} true, false, or null (undecided or not measured: {@code measured} says). */
    public record Finding(String text, Boolean outcome, boolean measured, Long runId) {
    }

    /** One claim on one machine and runtime. */
    public record Verdict(String machine, long machineId, String runtime, String verdict, List<Finding> figures) {
    }

    /** One claim with its verdicts; {@code verdict} sums them up (every row alike, or partly). */
    public record Judged(ClaimBook.Claim claim, String verdict, List<Verdict> verdicts) {
    }

    private static final String BASELINE = "serial";
    private static final int RUNS = 200;

    private final RunStore runs;
    private final MachineStore machines;

    public ClaimJudge(RunStore runs, MachineStore machines) {
        this.runs = runs;
        this.machines = machines;
    }

    /** Every claim, judged on every machine's newest runs. */
    public List<Judged> judge() {
        var perMachine = new ArrayList<MachineRuns>();
        for (MachineStore.Machine m : machines.list()) {
            // the smoke suite's sizes test the lab, not the models: a pool's start-up dwarfs its tasks there
            List<RunRow> rows = runs.finishedRuns(m.id(), RUNS).stream()
                    .filter(r -> Vocabulary.PYTHON.equals(r.runtime()) && !"smoke".equals(r.suite())).toList();
            if (rows.isEmpty()) continue;
            var stats = new LinkedHashMap<Long, List<CellStat>>();
            for (CellStat s : runs.cellStats(rows.stream().map(RunRow::id).toList(), null, null)) {
                stats.computeIfAbsent(s.runId(), k -> new ArrayList<>()).add(s);
            }
            var byRuntime = new LinkedHashMap<String, List<RunRow>>();
            for (RunRow r : rows) byRuntime.computeIfAbsent(r.runtimeLabel(), k -> new ArrayList<>()).add(r);
            perMachine.add(new MachineRuns(m, byRuntime, stats));
        }
        var judged = new ArrayList<Judged>();
        for (ClaimBook.Claim claim : ClaimBook.claims()) {
            var verdicts = new ArrayList<Verdict>();
            for (MachineRuns m : perMachine) {
                if (claim.runtime().equals("pythons")) {
                    verdicts.addAll(acrossRuntimes(claim, m));
                    continue;
                }
                m.byRuntime.forEach((runtime, rows) -> {
                    List<Long> ids = rows.stream().map(RunRow::id).toList();
                    var findings = claim.conditions().stream().map(c -> decide(c, ids, m.stats)).toList();
                    verdicts.add(new Verdict(m.machine.label(), m.machine.id(), runtime, verdict(findings), findings));
                });
            }
            judged.add(new Judged(claim, summary(verdicts), List.copyOf(verdicts)));
        }
        return judged;
    }

    /**
     * The claims one run decides by itself (a run just measured, before it is stored): those with a condition measured in it,
     * each with its verdict; none for a smoke run (its sizes test the lab, not the models) or a JVM run.
     */
    public static List<Judged> ofRun(dev.conlab.bench.RunDocument doc) {
        if (doc.python() == null || "smoke".equals(doc.suite())) return List.of();
        var cells = new ArrayList<CellStat>();
        for (var pair : cellsOf(doc)) cells.add(pair);
        Map<Long, List<CellStat>> stats = Map.of(0L, cells);
        var judged = new ArrayList<Judged>();
        for (ClaimBook.Claim claim : ClaimBook.claims()) {
            if (!claim.runtime().equals("python")) continue;
            var findings = claim.conditions().stream().map(c -> decide(c, List.of(0L), stats)).toList();
            String v = verdict(findings);
            if (v.equals(NOT_MEASURED)) continue;
            judged.add(new Judged(claim, v, List.of(new Verdict(doc.machine().label(), 0, doc.runtimeLabel(), v, findings))));
        }
        return judged;
    }

    private static List<CellStat> cellsOf(dev.conlab.bench.RunDocument doc) {
        var list = new ArrayList<CellStat>();
        var summaries = dev.conlab.bench.stats.CellSummary.of(doc); // one per result, in its order
        for (int i = 0; i < summaries.size(); i++) {
            var s = summaries.get(i);
            var cell = doc.results().get(i);
            if (s.wall() == null || cell.status() != dev.conlab.bench.CellStatus.OK) continue;
            list.add(new CellStat(0, s.workload(), s.model(), json(cell.params()), s.wall().median(), s.wall().ciLow(), s.wall().ciHigh(),
                    s.wall().n(), "ns", false, null, null, json(cell.modelParams()), cell.idealNanos()));
        }
        return list;
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            return null;
        }
    }

    private record MachineRuns(MachineStore.Machine machine, Map<String, List<RunRow>> byRuntime, Map<Long, List<CellStat>> stats) {
    }

    static String verdict(List<Finding> findings) {
        if (findings.stream().noneMatch(Finding::measured)) return NOT_MEASURED;
        if (findings.stream().allMatch(f -> Boolean.TRUE.equals(f.outcome()))) return HOLDS;
        if (findings.stream().allMatch(f -> Boolean.FALSE.equals(f.outcome()))) return DOES_NOT_HOLD;
        return PARTLY;
    }

    static String summary(List<Verdict> verdicts) {
        var measured = verdicts.stream().map(Verdict::verdict).filter(v -> !v.equals(NOT_MEASURED)).distinct().toList();
        if (measured.isEmpty()) return NOT_MEASURED;
        return measured.size() == 1 ? measured.get(0) : PARTLY;
    }

    /** A cell of the run with the condition's parameters (those it names; the others as measured). */
    private static CellStat cell(List<CellStat> cells, String workload, String model, ClaimBook.Condition c, String sameParams) {
        for (CellStat s : cells) {
            if (!s.workload().equals(workload) || !s.model().equals(model)) continue;
            if (sameParams != null && !sameParams.equals(s.paramsJson())) continue;
            if (!matches(s.paramsJson(), c.params()) || (model.equals(c.model()) && !matches(s.modelParamsJson(), c.modelParams()))) continue;
            return s;
        }
        return null;
    }

    private static boolean matches(String json, Map<String, Long> wanted) {
        if (wanted == null || wanted.isEmpty()) return true;
        if (json == null) return false;
        try {
            Map<String, Object> params = Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
            for (var e : wanted.entrySet()) {
                if (!(params.get(e.getKey()) instanceof Number n) || n.longValue() != e.getValue()) return false;
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The condition on the newest run that has its cells. */
    static Finding decide(ClaimBook.Condition c, List<Long> runIds, Map<Long, List<CellStat>> stats) {
        String other = switch (c.kind()) {
            case "speedup" -> BASELINE;
            case "faster", "notSlower", "same" -> c.than();
            default -> null;
        };
        for (long runId : runIds) {
            List<CellStat> cells = stats.getOrDefault(runId, List.of());
            CellStat a = cell(cells, c.workload(), c.model(), c, null);
            if (a == null) continue;
            if (other == null) return near(c, a, runId);
            CellStat b = cell(cells, c.workload(), other, c, a.paramsJson());
            if (b == null) continue;
            return ratio(c, a, b, runId);
        }
        return new Finding(c.workload() + " × " + c.model() + (other == null ? "" : " and " + other) + ": not measured", null, false, null);
    }

    private static Finding near(ClaimBook.Condition c, CellStat a, long runId) {
        double s = a.median() / 1e9;
        boolean ok = Math.abs(s - c.seconds()) <= c.tolerance() * c.seconds();
        return new Finding(String.format(Locale.ROOT, "%s × %s: %s (expected %s s ± %.0f %%)", c.workload(), c.model(), seconds(a),
                trim(c.seconds()), c.tolerance() * 100), ok, true, runId);
    }

    /** b ÷ a: how many times faster a is than b (for a speedup, b is serial), with its interval. */
    private static Finding ratio(ClaimBook.Condition c, CellStat a, CellStat b, long runId) {
        Margin m = Margin.of(b, a);
        double r = m.ratio();
        double lo = m.low();
        double hi = m.high();
        Boolean outcome;
        String what;
        switch (c.kind()) {
            case "speedup" -> {
                if (c.min() != null) outcome = lo >= c.min() ? Boolean.TRUE : hi < c.min() ? Boolean.FALSE : null;
                else outcome = hi <= c.max() ? Boolean.TRUE : lo > c.max() ? Boolean.FALSE : null;
                what = String.format(Locale.ROOT, "%s: %s %s× serial [%s–%s] (expected %s %s)", c.workload(), c.model(), two(r), two(lo), two(hi),
                        c.min() != null ? "≥" : "≤", trim(c.min() != null ? c.min() : c.max()));
            }
            case "faster" -> {
                outcome = lo > 1 ? Boolean.TRUE : hi < 1 ? Boolean.FALSE : null;
                what = String.format(Locale.ROOT, "%s: %s %s, %s %s: %s× [%s–%s] (expected faster)", c.workload(), c.model(), seconds(a),
                        c.than(), seconds(b), two(r), two(lo), two(hi));
            }
            case "notSlower" -> {
                outcome = hi < 1 ? Boolean.FALSE : Boolean.TRUE;
                what = String.format(Locale.ROOT, "%s: %s %s, %s %s: %s× [%s–%s] (expected not slower)", c.workload(), c.model(), seconds(a),
                        c.than(), seconds(b), two(r), two(lo), two(hi));
            }
            default -> { // same
                outcome = (lo <= 1 && hi >= 1) || Math.abs(r - 1) <= 0.1;
                what = String.format(Locale.ROOT, "%s: %s %s, %s %s: %s× [%s–%s] (expected within 10 %%)", c.workload(), c.model(), seconds(a),
                        c.than(), seconds(b), two(r), two(lo), two(hi));
            }
        }
        return new Finding(what + (outcome == null ? ", undecided" : ""), outcome, true, runId);
    }

    /** Two runtimes of one machine against each other: the newest run of each with the cell, at equal parameters. */
    private static List<Verdict> acrossRuntimes(ClaimBook.Claim claim, MachineRuns m) {
        var list = new ArrayList<Verdict>();
        ClaimBook.Condition c = claim.conditions().get(0);
        for (var fast : m.byRuntime.entrySet()) {
            if (!fast.getKey().startsWith(c.faster() + " ")) continue;
            for (var slow : m.byRuntime.entrySet()) {
                if (!slow.getKey().startsWith(c.than() + " ")) continue;
                Finding f = pair(c, fast.getValue(), slow.getValue(), m.stats);
                String verdict = !f.measured() ? NOT_MEASURED : Boolean.TRUE.equals(f.outcome()) ? HOLDS
                        : Boolean.FALSE.equals(f.outcome()) ? DOES_NOT_HOLD : PARTLY;
                list.add(new Verdict(m.machine.label(), m.machine.id(), fast.getKey() + " vs " + slow.getKey(), verdict, List.of(f)));
            }
        }
        return list;
    }

    private static Finding pair(ClaimBook.Condition c, List<RunRow> fastRuns, List<RunRow> slowRuns, Map<Long, List<CellStat>> stats) {
        for (RunRow fr : fastRuns) {
            CellStat a = cell(stats.getOrDefault(fr.id(), List.of()), c.workload(), c.model(), c, null);
            if (a == null) continue;
            for (RunRow sr : slowRuns) {
                CellStat b = cell(stats.getOrDefault(sr.id(), List.of()), c.workload(), c.model(), c, a.paramsJson());
                if (b == null) continue;
                Margin m = Margin.of(b, a);
                double r = m.ratio();
                double lo = m.low();
                // holds at the claimed factor (within 20 %), partly where faster but less, fails where not faster at all
                Boolean outcome = lo >= c.min() ? Boolean.TRUE : (r <= 1 ? Boolean.FALSE : null);
                String text = String.format(Locale.ROOT, "%s × %s: %s %s, %s %s: %s× faster [%s–%s] (runs %d and %d)", c.workload(), c.model(),
                        c.faster(), seconds(a), c.than(), seconds(b), two(r), two(lo), two(m.high()), fr.id(), sr.id());
                return new Finding(text, outcome, true, fr.id());
            }
        }
        return new Finding(c.workload() + " × " + c.model() + " on both runtimes at equal sizes: not measured", null, false, null);
    }

    private static String seconds(CellStat s) {
        double v = s.median() / 1e9;
        return v >= 1 ? String.format(Locale.ROOT, "%.3f s", v) : String.format(Locale.ROOT, "%.1f ms", v * 1e3);
    }

    private static String two(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String trim(Double v) {
        return Objects.requireNonNull(v) == Math.rint(v) ? String.valueOf(v.longValue()) : String.valueOf(v);
    }
}
