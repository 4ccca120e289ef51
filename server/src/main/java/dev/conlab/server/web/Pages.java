package dev.conlab.server.web;

import dev.conlab.bench.Catalog;
import dev.conlab.bench.InvalidSpecException;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.Suite;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.db.MachineStore;
import dev.conlab.db.RunStore;
import dev.conlab.server.ApiException;
import dev.conlab.server.Services;
import dev.conlab.server.api.RunsApi;
import dev.conlab.server.queue.QueueService;
import dev.conlab.web.Views;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's pages: each handler reads the stores, builds its view model and renders the JTE
 * template of the same name. Writes (queue, cancel, relabel, upload) go through the same services as
 * the API, from forms that carry a CSRF token and a bearer token (remembered for the browser session).
 */
public final class Pages {

    private final Services services;
    private final QueueService queue;
    private final RunsApi runs;
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    private final dev.conlab.server.compare.Compare compare;

    public Pages(Services services, QueueService queue, RunsApi runs, dev.conlab.server.compare.Compare compare) {
        this.services = services;
        this.queue = queue;
        this.runs = runs;
        this.compare = compare;
    }

    void render(Context ctx, String template, Object page) {
        var out = new StringOutput();
        engine.render(template, page, out);
        ctx.html(out.toString());
    }

    public void overview(Context ctx) {
        String csrf = Forms.csrf(ctx);
        List<RunStore.RunRow> recent = recentRuns();
        var latest = recent.stream().limit(10).map(Pages::line).toList();
        render(ctx, "overview.jte", new Views.OverviewPage(machines(), jdks(), latest, form(csrf), panel(csrf, null), startHere(recent)));
    }

    /** The newest runs the overview looks at: its latest ten, and where its first steps look for runs to open and compare. */
    private List<RunStore.RunRow> recentRuns() {
        return services.runs().list(RunStore.Filter.ANY, 0, 100).runs();
    }

    /**
     * The newest finished run that has an older-JDK twin (same suite and machine) to compare with, and that twin;
     * else the newest finished run alone: the sample data on a first start.
     */
    private static Views.StartHere startHere(List<RunStore.RunRow> recent) {
        var done = recent.stream().filter(r -> "done".equals(r.status())).toList();
        if (done.isEmpty()) return null;
        for (RunStore.RunRow newer : done) {
            for (RunStore.RunRow older : done) {
                if (older.suite().equals(newer.suite()) && older.machineId() == newer.machineId() && older.jdkFeature() < newer.jdkFeature()) {
                    return new Views.StartHere(line(newer), line(older), line(newer));
                }
            }
        }
        return new Views.StartHere(line(done.get(0)), null, null);
    }

    public void queuePanel(Context ctx) {
        render(ctx, "queuePanel.jte", panel(Forms.csrf(ctx), null));
    }

    public void enqueue(Context ctx) {
        Forms.checkCsrf(ctx);
        String csrf = Forms.csrf(ctx);
        String message;
        try {
            Forms.requireToken(ctx, services, "queue");
            var request = new QueueService.Request(ctx.formParam("suite"), ctx.formParams("workloads"), ctx.formParams("models"),
                    ctx.formParams("jdks"), Forms.integer(ctx, "warmups"), Forms.integer(ctx, "iterations"), null, null, null, Map.of());
            List<Long> ids = queue.enqueue(request);
            message = "Queued run" + (ids.size() == 1 ? " #" + ids.get(0) : "s " + ids.stream().map(i -> "#" + i).toList()) + ".";
        } catch (InvalidSpecException | ApiException e) {
            message = "Not queued: " + e.getMessage();
            // htmx swaps only 2xx answers: the panel shows the refusal; a form posted without JS gets the status
            if (!Forms.isHtmx(ctx)) ctx.status(e instanceof ApiException a ? a.status() : 400);
        }
        if (Forms.isHtmx(ctx)) {
            ctx.header("HX-Trigger", "queue-changed"); // the queue panel refreshes at once
            render(ctx, "formResult.jte", message);
        } else if (ctx.status().getCode() >= 400) {
            render(ctx, "overview.jte", new Views.OverviewPage(machines(), jdks(), List.of(), form(csrf), panel(csrf, message), startHere(recentRuns())));
        } else {
            ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    public void cancel(Context ctx) throws InterruptedException {
        Forms.checkCsrf(ctx);
        String csrf = Forms.csrf(ctx);
        long id = Forms.id(ctx);
        String message;
        try {
            Forms.requireToken(ctx, services, "queue");
            queue.cancel(id);
            message = "Run #" + id + " cancelled.";
        } catch (ApiException e) {
            message = "Not cancelled: " + e.getMessage();
            if (!Forms.isHtmx(ctx)) ctx.status(e.status());
        } catch (QueueService.NoSuchRunException | IllegalStateException e) {
            message = "Not cancelled: " + e.getMessage();
            if (!Forms.isHtmx(ctx)) ctx.status(409);
        }
        if (Forms.isHtmx(ctx)) render(ctx, "queuePanel.jte", panel(csrf, message));
        else if (ctx.status().getCode() >= 400) render(ctx, "overview.jte", new Views.OverviewPage(machines(), jdks(), List.of(), form(csrf), panel(csrf, message), startHere(recentRuns())));
        else ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    public void run(Context ctx) {
        long id = Forms.id(ctx);
        RunStore.RunRow row = services.runs().row(id).orElseThrow(() -> new ApiException(404, "no run " + id));
        RunDocument doc = runs.documentOf(row);
        boolean live = row.status().equals("queued") || row.status().equals("running");
        String progress = null;
        if (live) {
            var status = queue.status(id).orElse(Map.of());
            if (status.get("progress") instanceof Map<?, ?> p) {
                progress = p.get("cellsDone") + " of " + p.get("cellsTotal") + " cells";
            }
        }
        String title = "Run #" + id + " — " + row.suite() + " on JDK " + row.jdkFeature();
        render(ctx, "run.jte", new Views.RunPage(line(row), title, RunView.environment(doc), RunView.sections(doc), live,
                progress, row.error()));
    }

    public void runList(Context ctx) {
        Long machine = Forms.optionalLong(ctx, "machine");
        Integer jdk = Forms.integer(ctx, "jdk");
        String suite = Forms.blankToNull(ctx.queryParam("suite"));
        String source = Forms.blankToNull(ctx.queryParam("source"));
        int offset = Math.max(0, Forms.integer(ctx, "offset") == null ? 0 : Forms.integer(ctx, "offset"));
        int limit = 50;
        var page = services.runs().list(new RunStore.Filter(machine, jdk, suite, source, null, null, null), offset, limit);
        String query = "machine=" + (machine == null ? "" : machine) + "&jdk=" + (jdk == null ? "" : jdk)
                + "&suite=" + (suite == null ? "" : suite) + "&source=" + (source == null ? "" : source);
        String previous = offset > 0 ? "/runs?" + query + "&offset=" + Math.max(0, offset - limit) : null;
        String next = offset + limit < page.total() ? "/runs?" + query + "&offset=" + (offset + limit) : null;
        List<Integer> features = services.runs().list(RunStore.Filter.ANY, 0, 500).runs().stream()
                .map(RunStore.RunRow::jdkFeature).distinct().sorted().toList();
        render(ctx, "runs.jte", new Views.RunsPage(page.runs().stream().map(Pages::line).toList(), page.total(), offset, limit,
                query, previous, next, machines(), features, machine == null ? null : String.valueOf(machine),
                jdk == null ? null : String.valueOf(jdk), suite, source));
    }

    public void machineList(Context ctx) {
        render(ctx, "machines.jte", new Views.MachinesPage(machines()));
    }

    public void machine(Context ctx) {
        long id = Forms.id(ctx);
        MachineStore.Machine m = services.machines().machine(id).orElseThrow(() -> new ApiException(404, "no machine " + id));
        var facts = new ArrayList<Views.Fact>();
        facts.add(new Views.Fact("Hostname", Fmt.text(m.hostname())));
        facts.add(new Views.Fact("CPU", Fmt.text(m.cpuModel())));
        facts.add(new Views.Fact("Logical CPUs", m.logicalCpus() == null ? "—" : String.valueOf(m.logicalCpus())));
        facts.add(new Views.Fact("Memory", m.memoryBytes() == null ? "—" : Fmt.bytes(m.memoryBytes())));
        facts.add(new Views.Fact("Fingerprint", m.fingerprint()));
        facts.add(new Views.Fact("First seen", Fmt.time(m.firstSeen())));
        facts.add(new Views.Fact("JDKs seen", m.jdks().toString()));
        var runsOfMachine = services.runs().list(new RunStore.Filter(id, null, null, null, null, null, null), 0, 100)
                .runs().stream().map(Pages::line).toList();
        render(ctx, "machine.jte", new Views.MachinePage(machineLine(m), facts, runsOfMachine, Forms.csrf(ctx)));
    }

    public void relabel(Context ctx) {
        Forms.checkCsrf(ctx);
        long id = Forms.id(ctx);
        Forms.requireToken(ctx, services, "admin");
        String label = ctx.formParam("label") == null ? "" : ctx.formParam("label").strip();
        if (label.isEmpty() || label.length() > 200) throw new ApiException(400, "a label is 1 to 200 characters");
        if (!services.machines().relabel(id, label)) throw new ApiException(404, "no machine " + id);
        ctx.redirect("/machines/" + id, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    public void jdkMatrix(Context ctx) {
        String suite = Forms.blankToNull(ctx.queryParam("suite"));
        if (suite != null && !List.of("smoke", "default", "seed").contains(suite)) {
            throw new ApiException(400, "unknown suite '" + suite + "': smoke, default or seed");
        }
        render(ctx, "jdks.jte", JdkMatrix.build(services, machines(), Forms.optionalLong(ctx, "machine"),
                Forms.integer(ctx, "from"), Forms.integer(ctx, "to"), suite));
    }

    public void uploadForm(Context ctx) {
        render(ctx, "upload.jte", new Views.UploadPage(Forms.csrf(ctx), null, List.of(), ""));
    }

    public void upload(Context ctx) {
        Forms.checkCsrf(ctx);
        String csrf = Forms.csrf(ctx);
        String pasted = ctx.formParam("document");
        String text = pasted;
        var file = ctx.uploadedFile("file");
        try {
            if (file != null && file.size() > 0) text = new String(file.content().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new ApiException(400, "the file could not be read");
        }
        try {
            Forms.requireToken(ctx, services, "upload");
            if (text == null || text.isBlank()) throw new ApiException(400, "choose a file or paste a document");
            long id = runs.store(text);
            ctx.redirect("/runs/" + id, io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (ApiException e) {
            List<String> problems = new ArrayList<>();
            for (Object d : e.details()) {
                if (d instanceof dev.conlab.server.api.DocumentValidator.Problem p) problems.add(p.path() + ": " + p.message());
                else problems.add(String.valueOf(d));
            }
            ctx.status(e.status());
            render(ctx, "upload.jte", new Views.UploadPage(csrf, e.getMessage(), problems,
                    pasted == null ? "" : pasted.length() > 200_000 ? "" : pasted));
        }
    }

    public void compare(Context ctx) {
        var request = dev.conlab.server.compare.Compare.parse(ctx);
        var c = compare.compute(request);
        render(ctx, "compare.jte", CompareView.page(c, request, Forms.csrf(ctx)));
    }

    public void share(Context ctx) {
        Forms.checkCsrf(ctx);
        Forms.requireToken(ctx, services, "upload");
        var request = dev.conlab.server.compare.Compare.parse(ctx.formParam("query"));
        String slug = compare.share(request, ctx.formParam("title"), ctx.formParam("note"));
        ctx.redirect("/c/" + slug, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    public void sharedComparison(Context ctx) {
        var shared = compare.shared(ctx.pathParam("slug"));
        render(ctx, "compare.jte", CompareView.shared(compare.snapshot(shared), shared));
    }

    // ---- view-model pieces

    private Views.RunForm form(String csrf) {
        var suites = new ArrayList<Views.Choice>();
        for (Suite s : Suite.values()) {
            suites.add(new Views.Choice(s.id(), s.id(), s.id().equals("smoke") ? "seconds per run (CI-sized)"
                    : s.id().equals("seed") ? "the source articles' sizes" : "about 0.5–2 s per sequential iteration", s.id().equals("smoke")));
        }
        var workloads = Catalog.workloads().stream().map(w -> new Views.Choice(w.id(), w.id(), w.summary(), false)).toList();
        var models = Catalog.MODELS.stream().map(m -> new Views.Choice(m.id(), m.id(), m.summary(), false)).toList();
        var newest = queue.jdks().newestPerFeature();
        var jdks = new ArrayList<Views.Choice>();
        for (int i = 0; i < newest.size(); i++) {
            Jdk j = newest.get(i);
            jdks.add(new Views.Choice(String.valueOf(j.feature()), "JDK " + j.feature() + " (" + j.version() + ")",
                    j.home().toString(), i == newest.size() - 1));
        }
        return new Views.RunForm(suites, workloads, models, jdks, csrf);
    }

    private Views.QueuePanel panel(String csrf, String message) {
        var items = new ArrayList<Views.QueueItem>();
        var runs = new ArrayList<>(queue.queue());
        runs.addAll(queue.recentlyEnded(10)); // finished ones stay a while, full bar and link, so nobody misses the end
        for (Map<String, Object> run : runs) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) run.get("progress");
            int done = ((Number) p.get("cellsDone")).intValue();
            int total = ((Number) p.get("cellsTotal")).intValue();
            double fraction = "done".equals(run.get("status")) ? 1.0 : p.get("fraction") instanceof Number f ? f.doubleValue() : 0;
            String current = null;
            if (p.get("currentCell") instanceof Map<?, ?> c) {
                current = c.get("workload") + " × " + c.get("model") + " (" + c.get("phase") + " " + c.get("iteration") + "/" + c.get("of") + ")";
            }
            items.add(new Views.QueueItem(((Number) run.get("id")).longValue(), (String) run.get("status"),
                    String.valueOf(run.get("jdkFeature")), (String) run.get("suite"), done, total, (int) Math.round(fraction * 100),
                    current, Fmt.seconds(p.get("elapsedSeconds")), Fmt.seconds(p.get("estimateSeconds"))));
        }
        return new Views.QueuePanel(items, csrf, message);
    }

    private List<Views.MachineLine> machines() {
        return services.machines().list().stream().map(Pages::machineLine).toList();
    }

    private List<Views.JdkLine> jdks() {
        var newest = queue.jdks().newestPerFeature();
        return queue.jdks().all().stream().map(j -> new Views.JdkLine(j.feature(), j.version(), j.vendor(), j.home().toString(),
                newest.contains(j))).toList();
    }

    static Views.MachineLine machineLine(MachineStore.Machine m) {
        return new Views.MachineLine(m.id(), m.label(), Fmt.text(m.cpuModel()),
                m.logicalCpus() == null ? "—" : m.logicalCpus() + " CPUs", m.memoryBytes() == null ? "—" : Fmt.bytes(m.memoryBytes()),
                m.runs(), m.jdks().toString().replaceAll("[\\[\\]]", ""));
    }

    static Views.RunLine line(RunStore.RunRow r) {
        return new Views.RunLine(r.id(), r.machineLabel(), r.machineId(), r.jdkVersion(), r.suite(), r.source(), r.status(),
                Fmt.time(r.createdAt()), r.cells(), r.cellsTotal());
    }
}
