package dev.conlab.server.api;

import dev.conlab.server.core.TextTables;
import dev.conlab.server.history.HistoryService;
import dev.conlab.server.http.Exports;
import dev.conlab.server.http.Requests;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/machines/{id}/history} (a cell's runs over time, JSON, CSV or Markdown) and {@code /api/alerts} (the
 * regressions and improvements found in every history, as a JSON Feed a team can subscribe to).
 */
public final class HistoryApi {

    /** The _ns columns hold the lab's times; an imported JMH benchmark's scores go in median/ci_low/ci_high with their unit. */
    static final List<String> COLUMNS = List.of("runtime", "run", "at", "version", "median_ns", "ci_low_ns", "ci_high_ns", "samples",
            "unit", "median", "ci_low", "ci_high", "disturbed_forks", "capacity");

    private final HistoryService history;

    public HistoryApi(HistoryService history) {
        this.history = history;
    }

    public void history(Context ctx) {
        var h = history.history(Requests.id(ctx), ctx.queryParam("workload"), ctx.queryParam("model"));
        Exports.send(ctx, "history-" + h.machineId() + "-" + h.workload() + "-" + h.model(), () -> h,
                () -> TextTables.csv(COLUMNS, rows(h)), () -> TextTables.markdown(COLUMNS, rows(h)));
    }

    private static List<List<String>> rows(HistoryService.History h) {
        var rows = new ArrayList<List<String>>();
        for (var line : h.lines()) {
            for (var p : line.points()) {
                boolean ns = "ns".equals(h.unit());
                rows.add(List.of(line.runtime(), String.valueOf(p.runId()), p.at().toString(), String.valueOf(p.version()),
                        ns ? String.valueOf(Math.round(p.median())) : "", !ns || p.ciLow() == null ? "" : String.valueOf(Math.round(p.ciLow())),
                        !ns || p.ciHigh() == null ? "" : String.valueOf(Math.round(p.ciHigh())), String.valueOf(p.samples()),
                        h.unit(), g(p.median()), p.ciLow() == null ? "" : g(p.ciLow()), p.ciHigh() == null ? "" : g(p.ciHigh()),
                        p.disturbedForks() == null ? "" : String.valueOf(p.disturbedForks()),
                        p.capacity() == null ? "" : String.format(java.util.Locale.ROOT, "%.3f", p.capacity())));
            }
        }
        return rows;
    }

    private static String g(double value) {
        return String.format(java.util.Locale.ROOT, "%.6g", value);
    }

    /** GET /api/alerts[?machine=ID][&kind=regression]: a JSON Feed 1.1 of the steps found, newest first. */
    public void alerts(Context ctx) {
        Long machine = Requests.optionalLong(ctx, "machine");
        String kind = ctx.queryParam("kind");
        String base = ctx.scheme() + "://" + ctx.host();
        var items = new ArrayList<Map<String, Object>>();
        for (HistoryService.Alert a : history.alerts(machine, true)) {
            if (kind != null && !kind.equals(a.kind())) continue;
            var item = new LinkedHashMap<String, Object>();
            item.put("id", "conlab-alert-" + a.machineId() + "-" + a.workload() + "-" + a.model() + "-" + a.runtime() + "-" + a.afterRunId());
            item.put("url", base + a.compareUrl());
            item.put("external_url", base + a.historyUrl());
            item.put("title", (a.kind().equals(HistoryService.REGRESSION) ? "Regression: " : a.kind().equals(HistoryService.MACHINE)
                    ? "The machine changed: " : "Improvement: ") + a.workload() + " × " + a.model() + " on "
                    + a.machine() + " (" + a.runtime() + ")");
            item.put("content_text", a.sentence());
            item.put("date_published", a.at().toString());
            item.put("tags", List.of(a.kind(), a.machine(), a.workload(), a.model()));
            item.put("_conlab", a);
            items.add(item);
        }
        var feed = new LinkedHashMap<String, Object>();
        feed.put("version", "https://jsonfeed.org/version/1.1");
        feed.put("title", "Concurrency Lab: regressions and improvements" + (machine == null ? "" : " of machine " + machine));
        feed.put("home_page_url", base + "/");
        feed.put("feed_url", base + ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()));
        feed.put("items", items);
        ctx.contentType("application/feed+json; charset=utf-8").result(dev.conlab.server.core.Mappers.write(feed));
    }
}
