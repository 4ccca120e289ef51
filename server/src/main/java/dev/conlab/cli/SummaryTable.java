package dev.conlab.cli;

import dev.conlab.bench.CellStatus;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.bench.stats.Curves;
import dev.conlab.bench.stats.ForkFacts;
import dev.conlab.server.runs.CurveText;
import dev.conlab.server.core.Fmt;

import java.io.PrintWriter;
import java.util.List;

/** The summary a run prints per JDK: workload × model with median, ±CI, speedup and efficiency. */
final class SummaryTable {

    private SummaryTable() {
    }

    static void print(RunDocument doc, PrintWriter out) {
        var jvm = doc.jvm();
        var python = doc.python();
        var machine = doc.machine();
        String runtime = jvm != null
                ? String.format("JDK %d (%s %s, %s GC), %d processors", jvm.feature(), jvm.vendor(), jvm.version(), jvm.gc(), jvm.availableProcessors())
                : python != null ? String.format("%s (%s, GIL %s), %s processors", python.label(), python.executable(), python.gil() ? "on" : "off",
                        python.availableProcessors()) : "unknown runtime";
        var settings = doc.settings();
        String forks = settings.adaptive()
                ? String.format(java.util.Locale.ROOT, "%d to %d clean forks until ±%s %%", settings.forks(), settings.maxForks(),
                        Fmt.ratio(settings.targetCiPct(), ""))
                : settings.forks() + " fork(s)";
        out.printf("%n%s, %s — suite %s, %d warm-ups + %d iterations × %s, %s%s%n",
                runtime, machine.cpu().model(), doc.suite(), settings.warmups(), settings.iterations(),
                forks, doc.forkModeSummary(), doc.sitting() != null && doc.sitting().interleaved()
                        ? "; interleaved with the sitting's other cells" + (doc.sitting().targets() > 1 ? " and targets" : "") + " in "
                        + doc.sitting().rounds() + " rounds" : "");
        List<CellSummary> summaries = CellSummary.of(doc);
        // the answer first: per workload and size, the kind of work, the models to use and the evidence
        for (var a : dev.conlab.bench.stats.WorkAnswers.of(doc, summaries)) {
            out.printf("%s%s: %s%n", a.workload(), a.params() == null || a.params().isEmpty() ? "" : " " + a.params(), a.sentence());
        }
        String unit = python != null && jvm == null ? "interpreter" : "JVM";
        out.println(doc.settings().forks() > 1 || settings.adaptive() ? "±95% CI: half the width of the 95 % interval of the mean of the forks' "
                + "means (the " + unit + "-to-" + unit + " variation); the interval is centred on that mean (slow forks put it above the median)"
                : "±95% CI: from the iterations of one " + unit + " (it does not show the " + unit + "-to-" + unit
                        + " variation: use --forks 2 or more)");
        if (doc.oneThread() != null) {
            for (var t : doc.oneThread()) {
                out.printf("T₁ of %s %s: %s%s (%s)%n", t.workload(), t.params(), Fmt.duration(t.nanos()),
                        t.ciLowNanos() == null ? "" : " ±" + Fmt.duration((t.ciHighNanos() - t.ciLowNanos()) / 2),
                        t.forks() + " fork(s), " + t.samples() + " samples");
            }
        }
        var curves = Curves.of(doc);
        var swept = new java.util.HashSet<Integer>();
        curves.forEach(c -> c.lines().forEach(l -> l.points().forEach(p -> swept.add(p.cell()))));
        if (swept.size() == doc.results().size()) {
            out.print(CurveText.of(curves));
            return;
        }
        out.printf("%-18s %-19s %12s %11s %9s %16s %6s %7s %5s  %s%n", "WORKLOAD", "MODEL", "MEDIAN", "±95% CI", "SPEEDUP",
                "EFFICIENCY (CI)", "CPU", "FORKS", "CAP.", "IDEAL / NOTE");
        var notes = new java.util.ArrayList<String>();
        String last = null;
        for (int i = 0; i < summaries.size(); i++) {
            if (swept.contains(i)) continue;
            CellSummary s = summaries.get(i);
            String workload = s.workload().equals(last) ? "" : s.workload();
            last = s.workload();
            if (s.wall() == null || s.status() != CellStatus.OK) {
                out.printf("%-18s %-19s %12s  %s%n", workload, s.model(), s.status().id().toUpperCase(java.util.Locale.ROOT),
                        s.error() == null ? "" : s.error());
                continue;
            }
            Double half = s.wall().ciHalfWidth();
            String efficiency = Fmt.ratio(s.efficiency(), "") + (s.efficiencyLow() == null ? ""
                    : " (" + Fmt.ratio(s.efficiencyLow(), "") + "–" + Fmt.ratio(s.efficiencyHigh(), "") + ")");
            ForkFacts facts = ForkFacts.of(doc.results().get(i));
            String forkCount = facts.forks() == 0 ? String.valueOf(s.wall().forks())
                    : (facts.forks() - facts.disturbed()) + (facts.disturbed() > 0 ? "+" + facts.disturbed() + "d" : "");
            out.printf("%-18s %-19s %12s %11s %9s %16s %6s %7s %5s  %s%s%n", workload, s.model(), Fmt.duration(s.wall().median()),
                    half == null ? "—" : "±" + Fmt.duration(half), Fmt.ratio(s.speedup(), "×"),
                    efficiency, Fmt.ratio(s.cpuUtilisation(), ""), forkCount, Fmt.ratio(facts.capacity(), ""),
                    s.idealNanos() == null ? "" : Fmt.duration(s.idealNanos()), s.flag() == null ? "" : "  ⚠ " + s.flag());
            if (s.pairedRounds() != null) {
                notes.add(s.workload() + " × " + s.model() + ": speedup " + Fmt.ratio(s.speedup(), "×") + " (" + Fmt.ratio(s.speedupLow(), "")
                        + "–" + Fmt.ratio(s.speedupHigh(), "") + "), paired with T₁ over " + s.pairedRounds() + " rounds");
            }
            if (s.disturbed() != null) notes.add("⚠ " + s.workload() + " × " + s.model() + ": " + s.disturbed());
            String stopped = doc.results().get(i).forksStopped();
            if (stopped != null && settings.adaptive()) notes.add(s.workload() + " × " + s.model() + ": " + stopped);
        }
        out.println("FORKS: clean forks (+ disturbed ones, left out); CAP.: the machine's median capacity beside them, as a share of its "
                + "CPUs (1.00 = every CPU whole; see docs/RESULTS.md)");
        notes.forEach(out::println);
        out.print(CurveText.of(curves));
    }
}
