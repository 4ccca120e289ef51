package dev.conlab.server.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.bench.stats.RatioTest;
import dev.conlab.server.compare.ComparisonRequest;
import dev.conlab.server.compare.Comparison;
import dev.conlab.server.core.Fmt;
import dev.conlab.web.Views;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** The compare page's view model from a {@link Comparison}: the same numbers as its JSON, CSV and Markdown exports. */
final class CompareView {

    private CompareView() {
    }

    static Views.ComparePage page(Comparison c, ComparisonRequest request, String csrf) {
        return page(c, request, "Compare " + c.runs().size() + " runs", null, null, "/api/compare?" + request.query() + "&", csrf);
    }

    static Views.ComparePage shared(Comparison c, dev.conlab.db.ComparisonStore.Shared shared) {
        String when = "Shared " + Fmt.time(shared.createdAt()) + ": a snapshot, its numbers do not change. "
                + "Live version: /compare?" + shared.query();
        return page(c, ComparisonRequest.parse(shared.query()), shared.title(), shared.note(), when, "/api/comparisons/" + shared.slug() + "?", null);
    }

    private static Views.ComparePage page(Comparison c, ComparisonRequest request, String heading, String note, String shared,
                                          String exportBase, String csrf) {
        var runs = c.runs().stream().map(r -> new Views.CompareRun(r.id(), r.label(), r.jdk(), r.machine(), r.suite(), r.baseline())).toList();
        var env = c.environment().stream().map(f -> new Views.EnvRow(f.name(), f.values(), f.differs())).toList();
        var blocks = new ArrayList<Views.CompareBlock>();
        var allWorkloads = new LinkedHashSet<String>();
        var allModels = new LinkedHashSet<String>();
        int n = 0;
        for (Comparison.WorkloadBlock block : c.workloads()) {
            allWorkloads.add(block.workload());
            ObjectNode chart = Json.MAPPER.createObjectNode();
            ArrayNode models = chart.putArray("models");
            ArrayNode chartRuns = chart.putArray("runs");
            var rows = new ArrayList<Views.CompareRow>();
            for (Comparison.Row row : block.rows()) {
                allModels.add(row.model());
                String label = Comparison.BEST.equals(row.model()) ? "fastest model of each runtime"
                        : row.point() == null ? row.model() : row.model() + " @ " + row.point();
                var scored = row.entries().stream().filter(e -> e.unit() != null).findFirst();
                if (scored.isPresent()) {
                    label += " (" + scored.get().unit() + ", " + (Boolean.TRUE.equals(scored.get().higherIsBetter()) ? "higher" : "lower")
                            + " is better)";
                }
                models.add(label);
                var cells = new ArrayList<Views.CompareCell>();
                for (Comparison.Entry e : row.entries()) cells.add(cell(e));
                rows.add(new Views.CompareRow(row.model(), label, cells));
            }
            for (int i = 0; i < c.runs().size(); i++) {
                Comparison.RunRef run = c.runs().get(i);
                if (run.baseline()) continue;
                ObjectNode series = chartRuns.addObject();
                series.put("label", run.label());
                ArrayNode ratios = series.putArray("ratios");
                for (Comparison.Row row : block.rows()) {
                    Double ratio = row.entries().get(i).ratio();
                    if (ratio == null) ratios.addNull(); else ratios.add(ratio);
                }
            }
            if (block.rows().stream().anyMatch(r -> r.entries().stream().anyMatch(e -> e.unit() != null))) {
                chart.put("yTitle", "JMH score ÷ baseline's (log scale; 1 = the same; each bar's direction is in its label)");
            }
            blocks.add(new Views.CompareBlock(block.workload(), block.cpuBound(), "compare-" + (n++), chart.toString(), rows, curve(c, block)));
        }
        List<Views.Choice> workloads = allWorkloads.stream().map(w -> new Views.Choice(w, w, w, request.workloads().contains(w))).toList();
        List<Views.Choice> models = allModels.stream().map(m -> new Views.Choice(m, m, m, request.models().contains(m))).toList();
        return new Views.ComparePage(heading, note, shared, runs, env, c.warnings(), blocks, c.method(), request.query(), exportBase,
                workloads, models, request.sortByChange(), csrf, summary(c));
    }

    /**
     * For sweeps: each run's line of each model over the swept parameter (medians, in one unit), the baseline solid and
     * the other runs dashed, in the model's colour; the table under it has each point's ratio and its interval.
     */
    private static String curve(Comparison c, Comparison.WorkloadBlock block) {
        if (block.rows().stream().noneMatch(r -> r.x() != null)) return null;
        double largest = 0;
        for (Comparison.Row row : block.rows()) {
            for (Comparison.Entry e : row.entries()) if (e.medianNanos() != null) largest = Math.max(largest, e.medianNanos());
        }
        ChartUnit unit = ChartUnit.forLargest(largest);
        ObjectNode chart = Json.MAPPER.createObjectNode();
        chart.put("timeUnit", unit.symbol());
        String parameter = block.rows().stream().filter(r -> r.point() != null).map(r -> r.point().split("=")[0]).findFirst().orElse("x");
        chart.put("xLabel", parameter);
        ArrayNode lines = chart.putArray("lines");
        for (int i = 0; i < c.runs().size(); i++) {
            Comparison.RunRef run = c.runs().get(i);
            var byModel = new java.util.LinkedHashMap<String, ArrayNode>();
            for (Comparison.Row row : block.rows()) {
                Comparison.Entry e = row.entries().get(i);
                if (row.x() == null || e.medianNanos() == null) continue;
                ArrayNode points = byModel.computeIfAbsent(row.model(), m -> {
                    ObjectNode line = lines.addObject();
                    line.put("label", "#" + run.id() + " " + m);
                    line.put("color", dev.conlab.bench.Vocabulary.colour(m));
                    line.put("dashed", !run.baseline());
                    return line.putArray("points");
                });
                ObjectNode p = points.addObject();
                p.put("x", row.x());
                p.put("y", unit.of(e.medianNanos()));
            }
        }
        return chart.toString();
    }

    /** One line for link previews: the runs, and how many cells are faster, slower or the same than the baseline. */
    private static String summary(Comparison c) {
        int faster = 0, slower = 0, same = 0;
        for (var block : c.workloads()) {
            for (var row : block.rows()) {
                for (var e : row.entries()) {
                    if (e.verdict() == null) continue;
                    switch (e.verdict()) {
                        case RatioTest.FASTER -> faster++;
                        case RatioTest.SLOWER -> slower++;
                        case RatioTest.SAME -> same++;
                        default -> { }
                    }
                }
            }
        }
        String base = c.runs().stream().filter(Comparison.RunRef::baseline).map(Comparison.RunRef::label).findFirst().orElse("?");
        return String.join(" vs ", c.runs().stream().map(Comparison.RunRef::label).toList()) + " — against " + base + ": "
                + faster + " cells faster, " + slower + " slower, " + same + " without a significant difference.";
    }

    private static Views.CompareCell cell(Comparison.Entry e) {
        if (e.medianNanos() == null) {
            String why = e.status().equals(Comparison.MISSING) ? "not in this run" : e.status();
            return new Views.CompareCell(why, "", "—", "", why, "none");
        }
        java.util.function.DoubleFunction<String> format = e.unit() == null ? Fmt::duration : v -> Fmt.score(v, e.unit());
        String ci = e.ciLowNanos() == null ? "" : "± " + format.apply((e.ciHighNanos() - e.ciLowNanos()) / 2);
        String median = format.apply(e.medianNanos()) + (e.model() == null ? "" : " (" + e.model() + ")");
        if (e.ratio() == null) return new Views.CompareCell(median, ci, "—", "", e.verdict() == null ? "" : e.verdict(), "none");
        String ratioCi = e.ratioLow() == null ? "" : String.format(Locale.ROOT, "[%.3f, %.3f]", e.ratioLow(), e.ratioHigh());
        String css = switch (e.verdict()) {
            case RatioTest.FASTER -> "faster";
            case RatioTest.SLOWER -> "slower";
            default -> "same";
        };
        String verdict = e.verdict() + (e.p() == null ? "" : String.format(Locale.ROOT, " (p = %.2g)", e.p()));
        return new Views.CompareCell(median, ci, String.format(Locale.ROOT, "%.3f×", e.ratio()), ratioCi,
                verdict, css);
    }
}
