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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        var changed = new ArrayList<Change>();
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
                for (int i = 0; i < row.entries().size(); i++) {
                    Comparison.Entry e = row.entries().get(i);
                    cells.add(cell(e));
                    if (e.ratio() != null && (RatioTest.FASTER.equals(e.verdict()) || RatioTest.SLOWER.equals(e.verdict()))) {
                        changed.add(new Change(Math.abs(Math.log(e.ratio())), new Views.ChangeLine(block.workload(), label,
                                c.runs().get(i).label(), cells.get(i).ratio(), cells.get(i).ratioCi(), cells.get(i).verdict(),
                                cells.get(i).css(), "h-compare-" + n)));
                    }
                }
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
            String chartId = "compare-" + (n++);
            blocks.add(new Views.CompareBlock(block.workload(), block.cpuBound(), chartId, chart.toString(), rows, curves(c, block, chartId)));
        }
        List<Views.Choice> workloads = allWorkloads.stream().map(w -> new Views.Choice(w, w, w, request.workloads().contains(w))).toList();
        List<Views.Choice> models = allModels.stream().map(m -> new Views.Choice(m, m, m, request.models().contains(m))).toList();
        changed.sort(java.util.Comparator.comparingDouble(Change::size).reversed());
        return new Views.ComparePage(heading, note, shared, runs, env, c.warnings(), blocks, c.method(), request.query(), exportBase,
                workloads, models, request.sortByChange(), csrf, summary(c), changed.stream().map(Change::line).toList());
    }

    /** A cell with a verdict, and how large its change is (|ln ratio|): the page opens with these, largest first. */
    private record Change(double size, Views.ChangeLine line) {
    }

    /**
     * For sweeps: each run's line of each model over the swept parameter (medians, in one unit), the baseline solid and
     * the other runs dashed, in the model's colour; the table under it has each point's ratio and its interval. An imported
     * JMH benchmark whose numeric @Param varies: a chart per unit (its modes), a line per run, mode, other @Params and
     * threads, the y axis in JMH's unit.
     */
    private static List<Views.CompareCurve> curves(Comparison c, Comparison.WorkloadBlock block, String chartId) {
        var swept = block.rows().stream().filter(r -> r.x() != null).toList();
        if (swept.isEmpty()) return List.of();
        // the swept parameter's name (comparisons shared before rows named it: the first in the point, "tasks=100")
        Comparison.Row first = swept.get(0);
        String parameter = first.swept() != null ? first.swept() : first.point() == null ? "x" : first.point().split("=")[0];
        Map<String, List<Comparison.Row>> byUnit = new LinkedHashMap<>();
        for (Comparison.Row row : swept) {
            String unit = row.entries().stream().map(Comparison.Entry::unit).filter(java.util.Objects::nonNull).findFirst().orElse("");
            byUnit.computeIfAbsent(unit, k -> new ArrayList<>()).add(row);
        }
        var curves = new ArrayList<Views.CompareCurve>();
        for (var e : byUnit.entrySet()) {
            String id = chartId + "-curve" + (curves.isEmpty() ? "" : "-" + curves.size());
            if (e.getKey().isEmpty()) {
                curves.add(new Views.CompareCurve(id, labCurve(c, e.getValue(), parameter),
                        "Each run's median per model over the swept parameter"));
            } else {
                curves.add(new Views.CompareCurve(id, jmhCurve(c, e.getValue(), e.getKey(), parameter),
                        "Each run's median in " + e.getKey() + " over the swept @Param"));
            }
        }
        return curves;
    }

    private static String labCurve(Comparison c, List<Comparison.Row> rows, String parameter) {
        double largest = 0;
        for (Comparison.Row row : rows) {
            for (Comparison.Entry e : row.entries()) if (e.medianNanos() != null) largest = Math.max(largest, e.medianNanos());
        }
        ChartUnit unit = ChartUnit.forLargest(largest);
        ObjectNode chart = Json.MAPPER.createObjectNode();
        chart.put("timeUnit", unit.symbol());
        chart.put("xLabel", parameter);
        ArrayNode lines = chart.putArray("lines");
        for (int i = 0; i < c.runs().size(); i++) {
            Comparison.RunRef run = c.runs().get(i);
            var byModel = new LinkedHashMap<String, ArrayNode>();
            for (Comparison.Row row : rows) {
                Comparison.Entry e = row.entries().get(i);
                if (e.medianNanos() == null) continue;
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

    /** One unit's rows of a JMH sweep: a line per run and row line (mode, other @Params, threads), colours per row line. */
    private static String jmhCurve(Comparison c, List<Comparison.Row> rows, String unit, String parameter) {
        ObjectNode chart = Json.MAPPER.createObjectNode();
        Boolean higher = rows.stream().flatMap(r -> r.entries().stream()).map(Comparison.Entry::higherIsBetter)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        chart.put("xLabel", "@Param " + parameter);
        chart.put("yTitle", "median (" + unit + (higher == null ? "" : higher ? ", higher is better" : ", lower is better") + ")");
        chart.put("linear", true);
        ArrayNode lines = chart.putArray("lines");
        var colours = new LinkedHashMap<String, String>();
        for (Comparison.Row row : rows) colours.computeIfAbsent(row.line(), k -> RunView.LINE_COLORS[colours.size() % RunView.LINE_COLORS.length]);
        for (int i = 0; i < c.runs().size(); i++) {
            Comparison.RunRef run = c.runs().get(i);
            var byLine = new LinkedHashMap<String, List<double[]>>();
            for (Comparison.Row row : rows) {
                Comparison.Entry e = row.entries().get(i);
                if (e.medianNanos() == null) continue;
                byLine.computeIfAbsent(row.line(), k -> new ArrayList<>()).add(new double[] {row.x(), e.medianNanos()});
            }
            byLine.forEach((key, points) -> {
                ObjectNode line = lines.addObject();
                line.put("label", "#" + run.id() + " " + key);
                line.put("color", colours.get(key));
                line.put("dashed", !run.baseline());
                ArrayNode array = line.putArray("points");
                points.sort(java.util.Comparator.comparingDouble(p -> p[0]));
                for (double[] p : points) array.addObject().put("x", p[0]).put("y", p[1]);
            });
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
        String verdict = e.verdict() + (e.p() == null ? "" : String.format(Locale.ROOT, " (p = %.2g)", e.p()))
                + (Boolean.TRUE.equals(e.paired()) ? ", paired, " + e.rounds() + " rounds" : "")
                + (e.disturbed() == null ? "" : " — " + e.disturbed());
        return new Views.CompareCell(median, ci, String.format(Locale.ROOT, "%.3f×", e.ratio()), ratioCi,
                verdict, css);
    }
}
