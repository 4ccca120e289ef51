package dev.conlab.server.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Catalog;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.Curves;
import dev.conlab.server.core.Fmt;
import dev.conlab.server.runs.CurveText;
import dev.conlab.web.Views;

import java.util.ArrayList;
import java.util.List;

/**
 * A swept run's curves for its page: per curve, the data of its two charts (time or throughput over the swept
 * parameter; memory) in data attributes, its sentences and the table of its points — the same numbers.
 */
final class CurveView {

    private CurveView() {
    }

    static List<Views.CurveSection> sections(RunDocument doc) {
        var sections = new ArrayList<Views.CurveSection>();
        int n = 0;
        for (Curves.Curve c : Curves.of(doc)) sections.add(section(c, "curve-" + (n++)));
        return sections;
    }

    static Views.CurveSection section(Curves.Curve c, String id) {
        double largest = 0;
        for (Curves.Line l : c.lines()) {
            for (Curves.Point p : l.points()) {
                if (p.measured()) largest = Math.max(largest, p.wall().ciHigh() != null ? p.wall().ciHigh() : p.wall().max());
                if (p.idealNanos() != null) largest = Math.max(largest, p.idealNanos());
            }
        }
        ChartUnit unit = ChartUnit.forLargest(largest);
        boolean perTask = c.role().countsWork();
        ObjectNode chart = Json.MAPPER.createObjectNode();
        chart.put("xLabel", c.unit());
        chart.put("timeUnit", unit.symbol());
        chart.put("throughputUnit", c.throughputUnit());
        ArrayNode lines = chart.putArray("lines");
        ObjectNode memory = Json.MAPPER.createObjectNode();
        memory.put("xLabel", c.unit());
        memory.put("unit", perTask ? "KiB per task" : "MiB peak RSS");
        ArrayNode memoryLines = memory.putArray("lines");
        boolean anyMemory = false;
        var rows = new ArrayList<Views.CurveRow>();
        for (Curves.Line l : c.lines()) {
            ObjectNode line = lines.addObject();
            line.put("model", l.model());
            line.put("label", l.label());
            line.put("color", dev.conlab.bench.Vocabulary.colour(l.model()));
            ArrayNode points = line.putArray("points");
            ObjectNode mem = memoryLines.addObject();
            mem.put("label", l.label());
            mem.put("color", dev.conlab.bench.Vocabulary.colour(l.model()));
            ArrayNode memPoints = mem.putArray("points");
            for (Curves.Point p : l.points()) {
                rows.add(row(c, l, p));
                if (!p.measured()) continue;
                ObjectNode point = points.addObject();
                point.put("x", p.x());
                point.put("median", unit.of(p.wall().median()));
                putOrNull(point, "low", p.wall().ciLow() == null ? null : unit.of(p.wall().ciLow()));
                putOrNull(point, "high", p.wall().ciHigh() == null ? null : unit.of(p.wall().ciHigh()));
                putOrNull(point, "ideal", p.idealNanos() == null ? null : unit.of(p.idealNanos()));
                putOrNull(point, "tp", p.throughput());
                putOrNull(point, "tpLow", p.throughputLow());
                putOrNull(point, "tpHigh", p.throughputHigh());
                Double y = perTask ? (p.memoryPerTask() == null ? null : p.memoryPerTask() / 1024)
                        : (p.peakRssBytes() == null ? null : p.peakRssBytes() / (double) (1L << 20));
                if (y != null) {
                    anyMemory = true;
                    ObjectNode mp = memPoints.addObject();
                    mp.put("x", p.x());
                    mp.put("y", Math.round(y * 1000) / 1000.0);
                }
            }
            if (l.usl() != null) {
                ObjectNode usl = line.putObject("usl");
                usl.put("lambda", l.usl().lambda());
                usl.put("sigma", l.usl().sigma());
                usl.put("kappa", l.usl().kappa());
            }
        }
        boolean latency = c.hasLatency();
        boolean pinned = c.lines().stream().flatMap(l -> l.points().stream()).anyMatch(p -> p.pinnedCount() != null);
        String memoryTitle = perTask ? "Memory per task: growth of the worker's peak resident memory during an iteration ÷ " + c.unit()
                : "Peak resident memory of the worker during an iteration";
        return new Views.CurveSection(id, c.title(), c.parameter(), chart.toString(), anyMemory ? memory.toString() : null, memoryTitle,
                CurveText.sentences(c), rows, latency, pinned);
    }

    private static Views.CurveRow row(Curves.Curve c, Curves.Line l, Curves.Point p) {
        String x = Curves.count(p.x());
        if (!p.measured()) {
            return new Views.CurveRow(l.model(), l.label(), x, p.x(), p.status().id(), false, null, null, null, null, null, null, null, null,
                    null, null, p.idealNanos() == null ? "—" : Fmt.duration(p.idealNanos()), p.error() == null ? "" : p.error(), null);
        }
        return new Views.CurveRow(l.model(), l.label(), x, p.x(), p.status().id(), true, Fmt.duration(p.wall().median()),
                p.wall().ciHalfWidth() == null ? "—" : "± " + Fmt.duration(p.wall().ciHalfWidth()),
                p.throughput() == null ? "—" : Fmt.number(p.throughput()) + " " + c.throughputUnit(),
                p.memoryPerTask() == null ? "—" : Fmt.bytes(Math.round(p.memoryPerTask())),
                p.peakRssBytes() == null ? "—" : Fmt.bytes(p.peakRssBytes()),
                p.heapAfterBytes() == null ? "—" : Fmt.bytes(p.heapAfterBytes()),
                p.latencyP50() == null ? "—" : Fmt.duration(p.latencyP50()),
                p.latencyP99() == null ? "—" : Fmt.duration(p.latencyP99()),
                p.latencyMax() == null ? "—" : Fmt.duration(p.latencyMax()),
                p.pinnedCount() == null ? "—" : String.valueOf(p.pinnedCount()),
                p.idealNanos() == null ? "—" : Fmt.duration(p.idealNanos()), null, p.wall().median());
    }

    private static void putOrNull(ObjectNode node, String name, Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) node.putNull(name);
        else node.put(name, value);
    }
}
