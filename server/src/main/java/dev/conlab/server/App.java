package dev.conlab.server;

import dev.conlab.bench.InvalidSpecException;
import dev.conlab.server.api.AgentsApi;
import dev.conlab.server.api.CompareApi;
import dev.conlab.server.api.MachinesApi;
import dev.conlab.server.api.QueueApi;
import dev.conlab.server.api.RunsApi;
import dev.conlab.server.core.LabException;
import dev.conlab.server.fleet.Fleet;
import dev.conlab.server.core.Limits;
import dev.conlab.server.core.Mappers;
import dev.conlab.server.core.Problem;
import dev.conlab.server.http.Access;
import dev.conlab.server.http.Auth;
import dev.conlab.server.http.Draining;
import dev.conlab.server.http.HttpError;
import dev.conlab.server.http.Requests;
import dev.conlab.server.queue.RunQueue;
import dev.conlab.server.web.ComparePages;
import dev.conlab.server.web.ModelsCss;
import dev.conlab.server.web.Pages;
import dev.conlab.server.web.Templates;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Builds the Javalin app: every endpoint in one table with the scope it needs, one access check, one mapping from
 * what services refuse to HTTP statuses, one error format. Serve, the tests and the benchmarks all call {@link #create}.
 */
public final class App {

    /**
     * Every answer's Content-Security-Policy: scripts, styles, fonts and XHR from this server only (no inline
     * script or style, no eval), images from here or data: URLs (Chart.js exports), never framed.
     */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    /** The error body of the API. */
    record ErrorBody(String error, List<Problem> details) {
    }

    private App() {
    }

    /** The app without a running queue (queued runs wait): for tests and benchmarks of the store. */
    public static Javalin create(Lab lab) {
        return create(lab, RunQueue.onThisHost(lab.queueStore(), lab.agents(), RunQueue.DEFAULT_LEASE));
    }

    public static Javalin create(Lab lab, RunQueue queue) {
        return create(lab, queue, new Draining());
    }

    /** The app, with the {@link Draining} a graceful stop refuses new requests and waits for the writes in flight through. */
    public static Javalin create(Lab lab, RunQueue queue, Draining draining) {
        var runs = new RunsApi(lab.runs(), queue);
        var machines = new MachinesApi(lab.machines(), lab.agents(), queue);
        var queueApi = new QueueApi(queue);
        var fleet = new Fleet(lab.queueStore(), lab.agents(), lab.machines(), queue);
        var agents = new AgentsApi(fleet);
        var compare = new CompareApi(lab.comparisons());
        var templates = new Templates();
        var history = new dev.conlab.server.history.HistoryService(lab.runStore(), lab.machines());
        var historyApi = new dev.conlab.server.api.HistoryApi(history);
        history.warm(); // every machine's alerts, computed once in the background: the overview never waits for them
        var pages = new Pages(templates, lab.runs(), queue, lab.machines(), lab.agents(), history);
        var matrices = new dev.conlab.server.web.MatrixPages(templates, lab.runs(), queue, lab.machines(), lab.agents());
        var machinePages = new dev.conlab.server.web.MachinePages(templates, lab.runs(), queue, lab.machines(), lab.agents(), history);
        var comparePages = new ComparePages(templates, lab.comparisons());
        var modelsCss = new ModelsCss();
        var claims = new dev.conlab.server.claims.ClaimsService(new dev.conlab.server.claims.ClaimJudge(lab.runStore(), lab.machines()));
        var auth = new Auth(lab.tokens());
        int cores = Runtime.getRuntime().availableProcessors();
        var reads = new Limit(Math.max(4, 2 * cores));
        var uploads = new Limit(Math.max(2, cores));
        return Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(Mappers.JSON, false));
            config.events.serverStopped(fleet::close);
            config.http.maxRequestSize = Limits.MAX_DOCUMENT_BYTES;
            config.startup.showJavalinBanner = false;
            config.staticFiles.enableWebjars();
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/static";
                files.location = Location.CLASSPATH;
            });

            config.routes.before(ctx -> {
                ctx.header("Content-Security-Policy", CSP);
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("X-Frame-Options", "DENY");
                ctx.header("Referrer-Policy", "same-origin");
            });
            config.routes.before(draining::before);
            config.routes.after(draining::after);
            config.routes.beforeMatched(auth::check);

            // pages
            config.routes.get("/", reads.limit(pages::overview));
            config.routes.get("/favicon.ico", ctx -> ctx.redirect("/static/favicon.svg", HttpStatus.MOVED_PERMANENTLY));
            config.routes.get("/models.css", modelsCss::serve);
            config.routes.get("/partials/queue", pages::queuePanel);
            config.routes.post("/queue", pages::enqueue, Access.QUEUE);
            config.routes.post("/queue/{id}/cancel", pages::cancel, Access.QUEUE);
            config.routes.get("/runs", reads.limit(pages::runList));
            config.routes.get("/runs/{id}", reads.limit(pages::run));
            config.routes.get("/machines", reads.limit(machinePages::machineList));
            config.routes.get("/machines/{id}", reads.limit(machinePages::machine));
            config.routes.get("/machines/{id}/history", reads.limit(machinePages::history));
            config.routes.post("/machines/{id}/label", machinePages::relabel, Access.ADMIN);
            config.routes.get("/jdks", reads.limit(matrices::jdkMatrix));
            config.routes.get("/pythons", reads.limit(matrices::pythonMatrix));
            config.routes.get("/claims", reads.limit(ctx -> templates.render(ctx, "claims.jte", dev.conlab.server.web.ClaimsView.page(claims.answer(), dev.conlab.server.http.Forms.csrf(ctx),
                    dev.conlab.server.http.Forms.tokenRemembered(ctx)))));
            config.routes.get("/compare", reads.limit(comparePages::compare));
            config.routes.post("/compare/share", comparePages::share, Access.UPLOAD);
            config.routes.get("/c/{slug}", reads.limit(comparePages::shared));
            config.routes.get("/upload", reads.limit(pages::uploadForm));
            config.routes.post("/upload", uploads.limit(pages::upload), Access.UPLOAD);

            // the API
            config.routes.get("/api/health", runs::health);
            config.routes.post("/api/runs", uploads.limit(runs::upload), Access.UPLOAD);
            config.routes.get("/api/runs", reads.limit(runs::list));
            config.routes.get("/api/runs/{id}", reads.limit(runs::get));
            config.routes.get("/api/runs/{id}/document", reads.limit(runs::document));
            config.routes.get("/api/runs/{id}/export", reads.limit(runs::export));
            config.routes.delete("/api/runs/{id}", runs::delete, Access.ADMIN);
            config.routes.get("/api/machines", reads.limit(machines::list));
            config.routes.get("/api/machines/{id}", reads.limit(machines::get));
            config.routes.post("/api/machines/checks", uploads.limit(machines::check), Access.UPLOAD);
            config.routes.get("/api/machines/{id}/history", reads.limit(historyApi::history));
            config.routes.get("/api/alerts", reads.limit(historyApi::alerts));
            config.routes.patch("/api/machines/{id}", machines::relabel, Access.ADMIN);
            config.routes.get("/api/jdks", reads.limit(queueApi::jdks));
            config.routes.get("/api/runtimes", reads.limit(queueApi::runtimes));
            config.routes.get("/api/claims", reads.limit(ctx -> ctx.json(claims.answer())));
            config.routes.get("/api/compare", reads.limit(compare::compare));
            config.routes.post("/api/comparisons", compare::create, Access.UPLOAD);
            config.routes.get("/api/comparisons/{slug}", reads.limit(compare::get));
            config.routes.delete("/api/comparisons/{slug}", compare::retract, Access.ADMIN);
            config.routes.get("/api/queue", reads.limit(queueApi::list));
            config.routes.post("/api/queue", queueApi::enqueue, Access.QUEUE);
            config.routes.delete("/api/queue/{id}", queueApi::cancel, Access.QUEUE);
            config.routes.post("/api/queue/{id}/retry", queueApi::retry, Access.QUEUE);
            config.routes.post("/api/agents", agents::register, Access.AGENT);
            config.routes.post("/api/agents/{machine}/heartbeat", agents::heartbeat, Access.AGENT);
            config.routes.post("/api/agents/{machine}/claim", agents::claim, Access.AGENT);
            config.routes.post("/api/agents/{machine}/runs/{run}/started", uploads.limit(agents::started), Access.AGENT);
            config.routes.put("/api/agents/{machine}/runs/{run}/cells/{position}", uploads.limit(agents::cell), Access.AGENT);
            config.routes.put("/api/agents/{machine}/runs/{run}/document", uploads.limit(agents::document), Access.AGENT);
            config.routes.post("/api/agents/{machine}/runs/{run}/end", agents::end, Access.AGENT);

            // what services refuse, and HTTP's own refusals: one status each, one format
            config.routes.exception(LabException.class, (e, ctx) -> refuse(ctx, pages, status(e), e.getMessage(), e.problems()));
            config.routes.exception(HttpError.class, (e, ctx) -> refuse(ctx, pages, e.status(), e.getMessage(), e.problems()));
            config.routes.exception(InvalidSpecException.class, (e, ctx) -> refuse(ctx, pages, 400, e.getMessage(), List.of()));
            config.routes.exception(HttpResponseException.class, (e, ctx) ->
                    refuse(ctx, pages, e.getStatus(), sentence(e), List.of()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                if (Requests.isPage(ctx)) page(ctx.status(500), "internal error; the server log has the cause");
                else ctx.status(500).json(new ErrorBody("internal error; the server log has the cause", List.of()));
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    if (Requests.isPage(ctx)) page(ctx, "no such page: " + ctx.path());
                    else ctx.json(new ErrorBody("no such endpoint: " + ctx.method() + " " + ctx.path(), List.of()));
                }
            });
            config.routes.error(405, "*", ctx -> ctx.json(new ErrorBody(ctx.method() + " is not allowed on " + ctx.path(), List.of())));
        });
    }

    static int status(LabException e) {
        if (e instanceof LabException.NotFound) return 404;
        if (e instanceof LabException.Conflict) return 409;
        if (e instanceof LabException.Gone) return 410;
        if (e instanceof LabException.Forbidden) return 403;
        return 400;
    }

    /** A refusal: JSON on the API; on a page, the form's own answer where it has one, else a short error page. */
    private static void refuse(Context ctx, Pages pages, int status, String message, List<Problem> problems) {
        ctx.status(status);
        if (!Requests.isPage(ctx)) {
            ctx.json(new ErrorBody(message, problems));
            return;
        }
        // htmx swaps only 2xx answers: a form's refusal sent by htmx is the sentence beside the form, answered with 200
        if (Requests.isHtmx(ctx) && pages.isForm(ctx)) ctx.status(200);
        if (!pages.refused(ctx, message, problems)) page(ctx, message);
    }

    /**
     * Admission control: at most {@code permits} requests of a kind are computed at once (reads: 2 per core;
     * uploads, which parse and validate up to 8 MiB before they wait for the database: 1 per core), the others
     * wait their turn, fairly. Without it, dozens of concurrent renders and validations share the cores with the
     * one upload that holds H2's write lock, and uploads starve (LoadIT, 48 clients on 2 cores: p50 15 s).
     */
    static final class Limit {
        private final Semaphore permits;

        Limit(int permits) {
            this.permits = new Semaphore(permits, true);
        }

        Handler limit(Handler handler) {
            return ctx -> {
                permits.acquire();
                try {
                    handler.handle(ctx);
                } finally {
                    permits.release();
                }
            };
        }
    }

    private static void page(Context ctx, String message) {
        String text = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        ctx.html("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
                + "initial-scale=1\"><link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\"><title>Error " + ctx.status().getCode() + " · Concurrency Lab</title><link rel=\"stylesheet\" "
                + "href=\"/static/app.css\"></head><body><main><h1>Error " + ctx.status().getCode() + "</h1><p class=\"error\" role=\"alert\">"
                + text + "</p><p><a href=\"/\">Back to the overview</a></p></main></body></html>");
    }

    private static String sentence(HttpResponseException e) {
        if (e.getStatus() == 413) return Limits.documentTooLarge(null);
        return e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + e.getStatus() : e.getMessage();
    }
}
