package dev.conlab.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.conlab.bench.Json;
import dev.conlab.server.api.MachinesApi;
import dev.conlab.server.api.QueueApi;
import dev.conlab.server.queue.QueueService;
import dev.conlab.server.web.Pages;
import dev.conlab.server.compare.Compare;
import io.javalin.http.staticfiles.Location;
import dev.conlab.server.api.RunsApi;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the Javalin app: every endpoint in one list, one error format. Tests call {@link #create} too. */
public final class App {

    /** Upload limit: larger bodies are refused with 413 before they are read. */
    public static final long MAX_UPLOAD_BYTES = 8L << 20;

    /**
     * Every answer's Content-Security-Policy: scripts, styles, fonts and XHR from this server only (no inline
     * script or style, no eval), images from here or data: URLs (Chart.js exports), never framed.
     */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    /** The result document's mapper, plus ISO-8601 text for the stores' times. */
    public static final ObjectMapper MAPPER = Json.MAPPER.copy().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private App() {
    }

    /** The API without a running queue (queued runs wait): for tests and benchmarks of the store. */
    public static Javalin create(Services services) {
        return create(services, QueueService.onThisHost(services.queue()));
    }

    public static Javalin create(Services services, QueueService queue) {
        RunsApi runs = new RunsApi(services, queue);
        MachinesApi machines = new MachinesApi(services);
        QueueApi queueApi = new QueueApi(services, queue);
        Compare compare = new Compare(services, runs);
        Pages pages = new Pages(services, queue, runs, compare);
        int cores = Runtime.getRuntime().availableProcessors();
        var reads = new Limit(Math.max(4, 2 * cores));
        var uploads = new Limit(Math.max(2, cores));
        return Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(MAPPER, false));
            config.http.maxRequestSize = MAX_UPLOAD_BYTES;
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

            config.routes.get("/", reads.limit(pages::overview));
            config.routes.get("/favicon.ico", ctx -> ctx.redirect("/static/favicon.svg", io.javalin.http.HttpStatus.MOVED_PERMANENTLY));
            config.routes.get("/partials/queue", pages::queuePanel);
            config.routes.post("/queue", pages::enqueue);
            config.routes.post("/queue/{id}/cancel", pages::cancel);
            config.routes.get("/runs", reads.limit(pages::runList));
            config.routes.get("/runs/{id}", reads.limit(pages::run));
            config.routes.get("/machines", reads.limit(pages::machineList));
            config.routes.get("/machines/{id}", reads.limit(pages::machine));
            config.routes.post("/machines/{id}/label", pages::relabel);
            config.routes.get("/jdks", reads.limit(pages::jdkMatrix));
            config.routes.get("/compare", reads.limit(pages::compare));
            config.routes.post("/compare/share", pages::share);
            config.routes.get("/c/{slug}", reads.limit(pages::sharedComparison));
            config.routes.get("/upload", reads.limit(pages::uploadForm));
            config.routes.post("/upload", uploads.limit(pages::upload));

            config.routes.get("/api/health", runs::health);
            config.routes.post("/api/runs", uploads.limit(runs::upload));
            config.routes.get("/api/runs", reads.limit(runs::list));
            config.routes.get("/api/runs/{id}", reads.limit(runs::get));
            config.routes.get("/api/runs/{id}/document", reads.limit(runs::document));
            config.routes.get("/api/runs/{id}/export", reads.limit(runs::export));
            config.routes.delete("/api/runs/{id}", runs::delete);
            config.routes.get("/api/machines", reads.limit(machines::list));
            config.routes.get("/api/machines/{id}", reads.limit(machines::get));
            config.routes.patch("/api/machines/{id}", machines::relabel);
            config.routes.get("/api/jdks", reads.limit(queueApi::jdks));
            config.routes.get("/api/compare", reads.limit(compare::api));
            config.routes.post("/api/comparisons", compare::create);
            config.routes.get("/api/comparisons/{slug}", reads.limit(compare::get));
            config.routes.delete("/api/comparisons/{slug}", compare::retract);
            config.routes.get("/api/queue", reads.limit(queueApi::list));
            config.routes.post("/api/queue", queueApi::enqueue);
            config.routes.delete("/api/queue/{id}", queueApi::cancel);
            config.routes.post("/api/queue/{id}/retry", queueApi::retry);

            config.routes.exception(ApiException.class, (e, ctx) -> {
                if (isPage(ctx)) page(ctx.status(e.status()), e.getMessage());
                else ctx.status(e.status()).json(error(e.getMessage(), e.details()));
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) ->
                    ctx.status(e.getStatus()).json(error(sentence(e), List.of())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                if (isPage(ctx)) page(ctx.status(500), "internal error; the server log has the cause");
                else ctx.status(500).json(error("internal error; the server log has the cause", List.of()));
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    if (isPage(ctx)) page(ctx, "no such page: " + ctx.path());
                    else ctx.json(error("no such endpoint: " + ctx.method() + " " + ctx.path(), List.of()));
                }
            });
            config.routes.error(405, "*", ctx -> ctx.json(error(ctx.method() + " is not allowed on " + ctx.path(), List.of())));
        });
    }

    /**
     * Admission control: at most {@code permits} requests of a kind are computed at once (reads: 2 per core;
     * uploads, which parse and validate up to 8 MiB before they wait for the database: 1 per core), the others
     * wait their turn, fairly. Without it, dozens of concurrent renders and validations share the cores with the
     * one upload that holds H2's write lock, and uploads starve (LoadIT, 48 clients on 2 cores: p50 15 s).
     */
    static final class Limit {
        private final java.util.concurrent.Semaphore permits;

        Limit(int permits) {
            this.permits = new java.util.concurrent.Semaphore(permits, true);
        }

        io.javalin.http.Handler limit(io.javalin.http.Handler handler) {
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

    /** A browser's page (not the API): errors answer with a short HTML page instead of JSON. */
    private static boolean isPage(io.javalin.http.Context ctx) {
        return !ctx.path().startsWith("/api/") && !ctx.path().startsWith("/static/") && !ctx.path().startsWith("/webjars/");
    }

    private static void page(io.javalin.http.Context ctx, String message) {
        String text = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        ctx.html("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
                + "initial-scale=1\"><link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\"><title>Error " + ctx.status().getCode() + " · Concurrency Lab</title><link rel=\"stylesheet\" "
                + "href=\"/static/app.css\"></head><body><main><h1>Error " + ctx.status().getCode() + "</h1><p class=\"error\" role=\"alert\">"
                + text + "</p><p><a href=\"/\">Back to the overview</a></p></main></body></html>");
    }

    private static String sentence(HttpResponseException e) {
        if (e.getStatus() == 413) return "the body is larger than the 8 MiB limit";
        return e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + e.getStatus() : e.getMessage();
    }

    static Map<String, Object> error(String message, List<?> details) {
        var body = new LinkedHashMap<String, Object>();
        body.put("error", message);
        body.put("details", details);
        return body;
    }
}
