package dev.conlab.server.web;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.bench.stats.Summary;
import dev.conlab.server.core.Fmt;
import dev.conlab.server.core.Margin;
import dev.conlab.web.Views;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run's page says first: per workload, the fastest model, its margin to the next with the margin's interval (the two
 * cells' intervals combined: lower ÷ upper, upper ÷ lower), how far it is from its ideal, and any flags of the workload's cells.
 */
final class RunAnswers {

    private RunAnswers() {
    }

    static List<Views.Answer> of(RunDocument doc, List<Views.WorkloadSection> sections) {
        List<CellSummary> summaries = CellSummary.of(doc);
        Map<String, List<Integer>> byWorkload = new LinkedHashMap<>();
        for (Views.WorkloadSection s : sections) byWorkload.put(s.workload(), new ArrayList<>());
        for (int i = 0; i < doc.results().size(); i++) {
            List<Integer> cells = byWorkload.get(doc.results().get(i).workload());
            if (cells != null && doc.results().get(i).jmh() == null) cells.add(i);
        }
        var answers = new ArrayList<Views.Answer>();
        List<dev.conlab.bench.stats.WorkAnswers> work = doc.tasks() == null ? List.of() : dev.conlab.bench.stats.WorkAnswers.of(doc, summaries);
        for (Views.WorkloadSection section : sections) {
            List<Integer> cells = byWorkload.get(section.workload());
            var measured = cells.stream().filter(i -> summaries.get(i).wall() != null).sorted((a, b) ->
                    Double.compare(summaries.get(a).wall().median(), summaries.get(b).wall().median())).toList();
            int flagged = (int) cells.stream().filter(i -> summaries.get(i).flag() != null || summaries.get(i).disturbed() != null).count();
            var notOk = cells.stream().filter(i -> summaries.get(i).wall() == null)
                    .map(i -> doc.results().get(i).model() + " " + doc.results().get(i).status().id()).toList();
            var flags = new ArrayList<String>();
            if (flagged > 0) flags.add(flagged + (flagged == 1 ? " cell has a flag" : " cells have flags") + " in the table below");
            if (!notOk.isEmpty()) flags.add("not measured: " + String.join(", ", notOk));
            String flagText = flags.isEmpty() ? null : String.join("; ", flags);
            if (measured.isEmpty()) {
                answers.add(new Views.Answer(section.workload(), section.chartId(), "no model was measured.", flagText));
                continue;
            }
            if (doc.task(section.workload()) != null) {
                // a task of yours: its kind, the models to use and the advice, per size measured
                var mine = work.stream().filter(a -> a.workload().equals(section.workload())).toList();
                String said = String.join(" ", mine.stream().map(a -> (mine.size() > 1 ? "At " + a.params() + ": " : "") + a.sentence()).toList());
                answers.add(new Views.Answer(section.workload(), section.chartId(), said, flagText));
                continue;
            }
            answers.add(new Views.Answer(section.workload(), section.chartId(), sentence(doc, summaries, measured), flagText));
        }
        return answers;
    }

    private static String sentence(RunDocument doc, List<CellSummary> summaries, List<Integer> measured) {
        int best = measured.get(0);
        CellResult cell = doc.results().get(best);
        Summary fast = summaries.get(best).wall();
        var text = new StringBuilder(cell.model()).append(" is fastest at ").append(Fmt.duration(fast.median()));
        if (measured.size() > 1) {
            int second = measured.get(1);
            Margin margin = Margin.of(summaries.get(second).wall(), fast);
            if (margin.clear()) {
                text.append(", ").append(margin.text()).append(" ahead of ").append(doc.results().get(second).model());
            } else {
                text.append(", within the interval of ").append(doc.results().get(second).model()).append(" (").append(margin.text())
                        .append(")");
            }
        }
        Double efficiency = summaries.get(best).efficiency();
        if (efficiency != null) text.append(String.format(Locale.ROOT, "; %.2f of its ideal", efficiency));
        return text.append('.').toString();
    }
}
