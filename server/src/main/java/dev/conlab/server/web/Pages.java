package dev.conlab.server.web;

import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Suite;
import dev.conlab.bench.Vocabulary;
import dev.conlab.db.MachineStore;
import dev.conlab.db.RunStatus;
import dev.conlab.db.RunStore;
import dev.conlab.server.core.Fmt;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.Problem;
import dev.conlab.server.http.Forms;
import dev.conlab.server.http.Requests;
import dev.conlab.server.queue.Progress;
import dev.conlab.server.queue.QueueEntry;
import dev.conlab.server.queue.RunQueue;
import dev.conlab.server.runs.RunService;
import dev.conlab.web.Views;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The dashboard's pages (all but the comparisons): each handler asks the services, builds its view model and
 * renders the template of the same name. Writes (queue, cancel, relabel, upload) come from forms whose CSRF field and
 * token the route table's access check has already verified; a refused form is answered where it was sent
 * ({@link #refused}).
 */
public final class Pages {

    private final Templates templates;
    private final RunService runs;
    private final RunQueue queue;
    private final MachineStore machines;

    private final dev.conlab.db.AgentStore agents;
    private final PageCache finished = new PageCache(256);
    private final dev.conlab.server.history.HistoryService history;

    public Pages(Templates templates, RunService runs, RunQueue queue, MachineStore machines, dev.conlab.db.AgentStore agents,
                 dev.conlab.server.history.HistoryService history) {
        this.agents = agents;
        this.history = history;
        this.templates = templates;
        this.runs = runs;
        this.queue = queue;
        this.machines = machines;
    }

    public void overview(Context ctx) {
        String csrf = Forms.csrf(ctx);
        List<RunStore.RunRow> recent = recentRuns();
        var latest = recent.stream().limit(10).map(Pages::line).toList();
        templates.render(ctx, "overview.jte", new Views.OverviewPage(machineLines(), jdks(), latest, form(csrf), panel(csrf, null),
                startHere(recent), alertLines(history.alerts(null).stream().filter(a -> a.kind().equals(dev.conlab.server.history.HistoryService.REGRESSION)).limit(10).toList()),
                OverviewAnswers.of(runs, machines, queue.hostId())));
    }

    /** The newest runs the overview looks at: its latest ten, and where its first steps look for runs to open and compare. */
    private List<RunStore.RunRow> recentRuns() {
        return runs.list(RunStore.Filter.ANY, 0, 100).runs();
    }

    /**
     * The newest finished run that has an older-JDK twin (same suite and machine) to compare with, and that twin;
     * else the newest finished run alone: the sample data on a first start.
     */
    private static Views.StartHere startHere(List<RunStore.RunRow> recent) {
        var done = recent.stream().filter(r -> r.status() == RunStatus.DONE).toList();
        if (done.isEmpty()) return null;
        for (RunStore.RunRow newer : done) {
            for (RunStore.RunRow older : done) {
                if (older.suite().equals(newer.suite()) && older.machineId() == newer.machineId() && older.jdkFeature() < newer.jdkFeature()
                        && Vocabulary.JVM.equals(older.runtime()) && Vocabulary.JVM.equals(newer.runtime())) {
                    return new Views.StartHere(line(newer), line(older), line(newer));
                }
            }
        }
        return new Views.StartHere(line(done.get(0)), null, null);
    }

    public void queuePanel(Context ctx) {
        templates.render(ctx, "queuePanel.jte", panel(Forms.csrf(ctx), null));
    }

    /** The run form: a refusal goes to App, which maps it to its status and hands it back to {@link #refused}. */
    public void enqueue(Context ctx) {
        List<QueueEntry> queued = queue.enqueue(QueueForms.request(ctx), ctx.formParams("machines"));
        String message = "Queued run" + (queued.size() == 1 ? " #" + queued.get(0).id() : "s " + queued.stream().map(e -> "#" + e.id()).toList()) + ".";
        if (Requests.isHtmx(ctx)) {
            ctx.header("HX-Trigger", "queue-changed"); // the queue panel refreshes at once
            templates.render(ctx, "formResult.jte", message);
        } else {
            ctx.redirect("/", HttpStatus.SEE_OTHER);
        }
    }

    /** The run form's answer to a refusal: beside the form (htmx swaps only 2xx answers), or the overview with App's status. */
    private void enqueueRefused(Context ctx, String why) {
        String message = "Not queued: " + why;
        if (Requests.isHtmx(ctx)) {
            ctx.header("HX-Trigger", "queue-changed");
            templates.render(ctx, "formResult.jte", message);
        } else {
            overviewWithMessage(ctx, message);
        }
    }

    public void cancel(Context ctx) throws InterruptedException {
        long id = Requests.id(ctx);
        queue.cancel(id);
        if (Requests.isHtmx(ctx)) templates.render(ctx, "queuePanel.jte", panel(Forms.csrf(ctx), "Run #" + id + " cancelled."));
        else ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    private void cancelRefused(Context ctx, String why) {
        String message = "Not cancelled: " + why;
        if (Requests.isHtmx(ctx)) templates.render(ctx, "queuePanel.jte", panel(Forms.csrf(ctx), message));
        else overviewWithMessage(ctx, message);
    }

    private void overviewWithMessage(Context ctx, String message) {
        String csrf = Forms.csrf(ctx);
        templates.render(ctx, "overview.jte", new Views.OverviewPage(machineLines(), jdks(), List.of(), form(csrf), panel(csrf, message),
                startHere(recentRuns()), List.of(), null));
    }

    /** Whether the request is one of the forms that answer their own refusals (the run form, a cancel, the upload). */
    public boolean isForm(Context ctx) {
        String path = ctx.path();
        return "POST".equals(ctx.method().name()) && (path.equals("/queue") || path.matches("/queue/[^/]+/cancel") || path.equals("/upload"));
    }

    /**
     * Answers a refused form (no token, a token without the scope, a form from another site, what a service refused) where
     * the form was sent: the run form's answer, the queue panel, the upload page — with the status App set. False for other
     * routes: they get the error page.
     */
    public boolean refused(Context ctx, String message, List<Problem> problems) {
        if (!isForm(ctx)) return false;
        String path = ctx.path();
        if (path.equals("/queue")) {
            enqueueRefused(ctx, message);
        } else if (path.matches("/queue/[^/]+/cancel")) {
            cancelRefused(ctx, message);
        } else if (path.equals("/upload")) {
            uploadRefused(ctx, message, problems);
        } else {
            return false;
        }
        return true;
    }

    public void run(Context ctx) {
        long id = Requests.id(ctx);
        RunStore.RunRow row = runs.find(id).orElseThrow(() -> new LabException.NotFound("no run " + id));
        if (row.status() == RunStatus.DONE) {
            // a finished run never changes: rendered once, kept with its machine's label (the one thing on it that can)
            finished.answer(ctx, "run " + id + " " + row.machineLabel(), () -> templates.html("run.jte", runPage(row, null)));
            return;
        }
        String progress = null;
        if (row.status().active()) {
            Progress p = queue.find(id).map(QueueEntry::progress).orElse(null);
            if (p != null) progress = p.cellsDone() + " of " + p.cellsTotal() + " cells";
        }
        templates.render(ctx, "run.jte", runPage(row, progress));
    }

    private Views.RunPage runPage(RunStore.RunRow row, String progress) {
        long id = row.id();
        RunDocument doc = runs.document(row);
        String title = "Run #" + id + " — " + row.suite() + " on " + row.runtimeLabel();
        var sections = RunView.sections(doc);
        return new Views.RunPage(line(row), title, doc.baselineModel(), RunView.environment(doc),
                RunView.oneThread(doc), RunView.interval(doc), CurveView.sections(doc), sections, row.status().active(), progress,
                row.error(), RunView.jmhSections(doc), RunAnswers.of(doc, sections));
    }

    public void runList(Context ctx) {
        Long machine = Requests.optionalLong(ctx, "machine");
        Integer jdk = Requests.integer(ctx, "jdk");
        String suite = Requests.blankToNull(ctx.queryParam("suite"));
        String source = Requests.blankToNull(ctx.queryParam("source"));
        Integer offsetParam = Requests.integer(ctx, "offset");
        int offset = Math.max(0, offsetParam == null ? 0 : offsetParam);
        int limit = 50;
        var page = runs.list(new RunStore.Filter(machine, jdk, suite, source, null, null, null), offset, limit);
        String query = "machine=" + (machine == null ? "" : machine) + "&jdk=" + (jdk == null ? "" : jdk)
                + "&suite=" + encode(suite) + "&source=" + encode(source);
        String previous = offset > 0 ? "/runs?" + query + "&offset=" + Math.max(0, offset - limit) : null;
        String next = offset + limit < page.total() ? "/runs?" + query + "&offset=" + (offset + limit) : null;
        List<Integer> features = machines.jdkFeatures();
        templates.render(ctx, "runs.jte", new Views.RunsPage(page.runs().stream().map(Pages::line).toList(), page.total(), offset, limit,
                query, previous, next, machineLines(), features, suiteIds(),
                Arrays.stream(RunStore.Source.values()).map(RunStore.Source::id).toList(),
                machine == null ? null : String.valueOf(machine), jdk == null ? null : String.valueOf(jdk), suite, source));
    }

    static String encode(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static List<String> suiteIds() {
        return Arrays.stream(Suite.values()).map(Suite::id).toList();
    }

    public void uploadForm(Context ctx) {
        templates.render(ctx, "upload.jte", new Views.UploadPage(Forms.csrf(ctx), null, List.of(), ""));
    }

    public void upload(Context ctx) throws java.io.IOException {
        var file = ctx.uploadedFile("file");
        String text = ctx.formParam("document");
        if (file != null && file.size() > 0) text = new String(file.content().readAllBytes(), StandardCharsets.UTF_8);
        if (text == null || text.isBlank()) throw new LabException.Invalid("choose a file or paste a document");
        long id = runs.ingest().store(text, RunStore.Source.UPLOAD).stored().runId();
        ctx.redirect("/runs/" + id, HttpStatus.SEE_OTHER);
    }

    private void uploadRefused(Context ctx, String message, List<Problem> problems) {
        String pasted = ctx.formParam("document");
        templates.render(ctx, "upload.jte", new Views.UploadPage(Forms.csrf(ctx), message,
                problems.stream().map(p -> p.path() + ": " + p.message()).toList(),
                pasted == null || pasted.length() > 200_000 ? "" : pasted));
    }

    // ---- view-model pieces

    private Views.RunForm form(String csrf) {
        return QueueForms.form(csrf, queue, machines, agents);
    }

    private Views.QueuePanel panel(String csrf, String message) {
        return QueueForms.panel(queue, csrf, message);
    }

    private List<Views.MachineLine> machineLines() {
        return machineLines(machines, agents, queue.hostId());
    }

    static List<Views.MachineLine> machineLines(MachineStore machines, dev.conlab.db.AgentStore agents, long hostId) {
        var fleet = dev.conlab.server.fleet.Agents.byMachine(agents);
        return machines.list().stream().map(m -> machineLine(m, m.id() == hostId, fleet.get(m.id()))).toList();
    }

    static List<Views.AlertLine> alertLines(List<dev.conlab.server.history.HistoryService.Alert> alerts) {
        return alerts.stream().map(a -> new Views.AlertLine(a.kind(), a.sentence(), a.compareUrl(), a.historyUrl(), Fmt.time(a.at()))).toList();
    }

    private List<Views.JdkLine> jdks() {
        var newest = queue.jdks().newestPerFeature();
        return queue.jdks().all().stream().map(j -> new Views.JdkLine(j.feature(), j.version(), j.vendor(), j.home().toString(),
                newest.contains(j))).toList();
    }

    static Views.MachineLine machineLine(MachineStore.Machine m, boolean thisHost, dev.conlab.server.fleet.Agents.AgentAnswer agent) {
        String state = thisHost ? "host" : agent == null ? "none" : agent.online() ? "online" : "offline";
        String text = switch (state) {
            case "host" -> "this server's host";
            case "none" -> "—";
            default -> state + " · heard " + Fmt.ago(agent.lastSeen()) + " · " + agent.runtimes().describe();
        };
        return new Views.MachineLine(m.id(), m.label(), Fmt.text(m.cpuModel()),
                m.logicalCpus() == null ? "—" : m.logicalCpus() + " CPUs", m.memoryBytes() == null ? "—" : Fmt.bytes(m.memoryBytes()),
                m.runs(), m.jdks().toString().replaceAll("[\\[\\]]", ""), state, text);
    }

    static Views.RunLine line(RunStore.RunRow r) {
        String runtime = Vocabulary.PYTHON.equals(r.runtime()) ? r.runtimeLabel() : "JDK " + r.jdkVersion();
        return new Views.RunLine(r.id(), r.machineLabel(), r.machineId(), runtime, r.suite(), r.source(), r.status().id(),
                Fmt.time(r.createdAt()), r.cells(), r.cellsTotal(), r.status() == RunStatus.DONE);
    }
}
