package dev.conlab.server.web;

import dev.conlab.bench.MachineCheck;
import dev.conlab.db.MachineStore;
import dev.conlab.db.RunStore;
import dev.conlab.server.core.Fmt;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.Limits;
import dev.conlab.server.http.Forms;
import dev.conlab.server.http.Requests;
import dev.conlab.server.queue.RunQueue;
import dev.conlab.server.runs.RunService;
import dev.conlab.web.Views;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.ArrayList;
import java.util.List;

import static dev.conlab.server.web.Pages.alertLines;
import static dev.conlab.server.web.Pages.encode;
import static dev.conlab.server.web.Pages.machineLine;

/** The machines' pages: the list, a machine (its facts, last check, alerts, cells and runs), its label, a cell's history. */
public final class MachinePages {

    private final Templates templates;
    private final RunService runs;
    private final RunQueue queue;
    private final MachineStore machines;
    private final dev.conlab.db.AgentStore agents;
    private final dev.conlab.server.history.HistoryService history;

    public MachinePages(Templates templates, RunService runs, RunQueue queue, MachineStore machines, dev.conlab.db.AgentStore agents,
                        dev.conlab.server.history.HistoryService history) {
        this.templates = templates;
        this.runs = runs;
        this.queue = queue;
        this.machines = machines;
        this.agents = agents;
        this.history = history;
    }

    public void machineList(Context ctx) {
        templates.render(ctx, "machines.jte", new Views.MachinesPage(Pages.machineLines(machines, agents, queue.hostId())));
    }

    public void machine(Context ctx) {
        long id = Requests.id(ctx);
        MachineStore.Machine m = machines.machine(id).orElseThrow(() -> new LabException.NotFound("no machine " + id));
        var facts = new ArrayList<Views.Fact>();
        facts.add(new Views.Fact("Hostname", Fmt.text(m.hostname())));
        facts.add(new Views.Fact("CPU", Fmt.text(m.cpuModel())));
        facts.add(new Views.Fact("Logical CPUs", m.logicalCpus() == null ? "—" : String.valueOf(m.logicalCpus())));
        facts.add(new Views.Fact("Memory", m.memoryBytes() == null ? "—" : Fmt.bytes(m.memoryBytes())));
        facts.add(new Views.Fact("Fingerprint", m.fingerprint()));
        facts.add(new Views.Fact("First seen", Fmt.time(m.firstSeen())));
        facts.add(new Views.Fact("JDKs seen", m.jdks().toString()));
        var runsOfMachine = runs.list(new RunStore.Filter(id, null, null, null, null, null, null), 0, 100)
                .runs().stream().map(Pages::line).toList();
        var agent = dev.conlab.server.fleet.Agents.byMachine(agents).get(id);
        Views.MachineLine line = machineLine(m, id == queue.hostId(), agent);
        facts.add(new Views.Fact("Agent", line.agent()));
        if (agent != null) {
            facts.add(new Views.Fact("Agent's last heartbeat", Fmt.time(agent.lastSeen())));
            facts.add(new Views.Fact("Agent's runtimes", agent.runtimes().describe()));
            facts.add(new Views.Fact("Agent's version and token", Fmt.text(agent.version()) + " · " + agent.token()));
        }
        templates.render(ctx, "machine.jte", new Views.MachinePage(line, facts, runsOfMachine, Forms.csrf(ctx),
                alertLines(history.alerts(id)), cellLinks(id), checkView(machines.lastCheckOf(id).orElse(null))));
    }

    /** The machine's last check as its page shows it; null without one. */
    static Views.CheckView checkView(MachineCheck check) {
        if (check == null) return null;
        var items = check.items().stream().map(i -> new Views.CheckItem(i.name(), i.value(), i.level().id(), i.advice())).toList();
        return new Views.CheckView(Fmt.text(check.at()), check.verdict() == MachineCheck.Level.OK ? "fit to measure" : "usable, with care",
                check.verdict().id(), items);
    }

    public void relabel(Context ctx) {
        long id = Requests.id(ctx);
        String label = ctx.formParam("label") == null ? "" : ctx.formParam("label").strip();
        if (!Limits.machineLabel(label)) throw new LabException.Invalid("a label is " + Limits.MACHINE_LABEL_RULE);
        if (!machines.relabel(id, label)) throw new LabException.NotFound("no machine " + id);
        ctx.redirect("/machines/" + id, HttpStatus.SEE_OTHER);
    }

    /** A machine's history of one cell: the chart, the table, the steps found. */
    public void history(Context ctx) {
        long id = Requests.id(ctx);
        var h = history.history(id, ctx.queryParam("workload"), ctx.queryParam("model"));
        // the history is kept until the machine's runs or label change (the same object until then): so is its page, whose
        // 500 rows and chart cost more to render than to read (29 ms of a history page's 40 at 100,000 runs)
        String key = id + "\u0000" + h.workload() + "\u0000" + h.model();
        synchronized (renderedHistories) {
            var kept = renderedHistories.get(key);
            if (kept != null && kept.getKey() == h) {
                ctx.html(kept.getValue());
                return;
            }
        }
        String html = historyHtml(id, h);
        synchronized (renderedHistories) {
            renderedHistories.put(key, java.util.Map.entry(h, html));
        }
        ctx.html(html);
    }

    /** Rendered history pages by machine and cell, with the history each was rendered from. */
    private final java.util.Map<String, java.util.Map.Entry<dev.conlab.server.history.HistoryService.History, String>> renderedHistories =
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, java.util.Map.Entry<dev.conlab.server.history.HistoryService.History, String>> eldest) {
                    return size() > 64;
                }
            };

    private String historyHtml(long id, dev.conlab.server.history.HistoryService.History h) {
        var chart = new java.util.LinkedHashMap<String, Object>();
        var lines = new ArrayList<Object>();
        var rows = new ArrayList<Views.HistoryRow>();
        String[] colors = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
        int i = 0;
        // the lab's times in ms; an imported JMH benchmark's scores in its unit
        boolean ns = "ns".equals(h.unit());
        double scale = ns ? 1e6 : 1;
        java.util.function.DoubleFunction<String> format = ns ? Fmt::duration : v -> Fmt.score(v, h.unit());
        if (!ns) {
            chart.put("unit", h.unit());
            chart.put("yTitle", "median (" + h.unit() + ", " + (h.higherIsBetter() ? "higher" : "lower") + " is better)");
        }
        for (var line : h.lines()) {
            var points = new ArrayList<Object>();
            for (int k = 0; k < line.points().size(); k++) {
                var p = line.points().get(k);
                var point = new java.util.LinkedHashMap<String, Object>();
                point.put("x", p.at().toInstant().toEpochMilli());
                point.put("median", p.median() / scale);
                point.put("low", p.ciLow() == null ? null : p.ciLow() / scale);
                point.put("high", p.ciHigh() == null ? null : p.ciHigh() / scale);
                point.put("run", p.runId());
                point.put("version", p.version());
                points.add(point);
                rows.add(new Views.HistoryRow(line.runtime(), p.runId(), Fmt.time(p.at()), p.version(), format.apply(p.median()),
                        p.ciLow() == null ? "—" : format.apply(p.ciLow()) + " – " + format.apply(p.ciHigh()), p.samples(), line.updates().contains(k),
                        (p.capacity() == null ? "—" : String.format(java.util.Locale.ROOT, "%.2f", p.capacity()))
                                + (p.disturbedForks() == null || p.disturbedForks() == 0 ? "" : " · " + p.disturbedForks() + " disturbed")));
            }
            lines.add(java.util.Map.of("label", line.runtime(), "color", colors[i++ % colors.length], "points", points, "updates", line.updates()));
        }
        chart.put("lines", lines);
        String query = "workload=" + encode(h.workload()) + "&model=" + encode(h.model());
        return templates.html("history.jte", new Views.HistoryPage(machineLine(machines.machine(id).orElseThrow(), id == queue.hostId(), null),
                h.workload(), h.model(), h.params() == null || h.params().isEmpty() ? null : h.params().toString(),
                dev.conlab.server.core.Mappers.write(chart), rows, alertLines(h.alerts()), cellLinks(id),
                "/api/machines/" + id + "/history?" + query + "&format=csv"));
    }

    private List<Views.CellLink> cellLinks(long machineId) {
        return history.cellsOf(machineId).stream().map(c -> new Views.CellLink(c[0], c[1], "/machines/" + machineId + "/history?workload="
                + encode(c[0]) + "&model=" + encode(c[1]))).toList();
    }

}
