package dev.conlab.server;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.conlab.bench.Json;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser tests' lab: one real `conlab serve` with the sample data, a token of each scope, and one Debian Chromium driven
 * by Playwright — started by the first browser test class of a build, stopped when the tests end. Playwright is not
 * thread-safe, so the classes that use it hold the resource lock {@link #LOCK} and run one after the other (beside other
 * test classes). A test that changes what another reads puts it back (DashboardIT's relabelled machine).
 * Screenshots of the pages go to target/screenshots/ for a reviewer.
 */
public final class BrowserLab implements AutoCloseable {

    /** The resource lock of the classes that drive this browser. */
    public static final String LOCK = "browser-lab";

    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Path data;
    final ServerProcess server;
    final String queueToken;
    final String uploadToken;
    final String adminToken;
    private final Playwright playwright;
    final Browser browser;

    private BrowserLab(Path data, ServerProcess server, Map<Scope, String> tokens, Playwright playwright, Browser browser) {
        this.data = data;
        this.server = server;
        this.queueToken = tokens.get(Scope.QUEUE);
        this.uploadToken = tokens.get(Scope.UPLOAD);
        this.adminToken = tokens.get(Scope.ADMIN);
        this.playwright = playwright;
        this.browser = browser;
    }

    private static BrowserLab start() throws Exception {
        Chromium.requireOrSkip();
        Path data = Files.createTempDirectory("conlab-browser");
        Map<Scope, String> tokens;
        try (Database db = Database.open(Database.h2Url(data), "sa", "")) {
            var store = new TokenStore(db);
            tokens = Map.of(Scope.QUEUE, store.create("browser-queue", Set.of(Scope.QUEUE)),
                    Scope.UPLOAD, store.create("browser-upload", Set.of(Scope.UPLOAD)),
                    Scope.ADMIN, store.create("browser-admin", Set.of(Scope.ADMIN)));
        }
        ServerProcess server = ServerProcess.startWithSampleData(data);
        Files.createDirectories(SHOTS);
        Playwright playwright = Chromium.playwright();
        return new BrowserLab(data, server, tokens, playwright, Chromium.launch(playwright));
    }

    @Override
    public void close() throws Exception {
        browser.close();
        playwright.close();
        server.close();
    }

    /** Registered with {@code @ExtendWith}: {@link #lab()} is the build's one lab from the class's first test on. */
    public static final class Use implements BeforeAllCallback {
        private static volatile BrowserLab current;

        @Override
        public void beforeAll(ExtensionContext context) {
            current = context.getRoot().getStore(ExtensionContext.Namespace.create(BrowserLab.class))
                    .getOrComputeIfAbsent(BrowserLab.class, k -> {
                        try {
                            return start();
                        } catch (RuntimeException e) {
                            throw e;
                        } catch (Exception e) {
                            throw new IllegalStateException("the browser lab did not start", e);
                        }
                    }, BrowserLab.class);
        }
    }

    /** The build's lab (after {@link Use} ran for the calling class). */
    static BrowserLab lab() {
        return Use.current;
    }

    String url() {
        return server.url();
    }

    /** A page in a fresh context {@code width} × {@code height} that records console errors, page errors and failed requests. */
    Page open(int width, int height, List<String> errors) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) errors.add(m.text());
        });
        page.onPageError(errors::add);
        page.onRequestFailed(r -> errors.add("request failed: " + r.url()));
        return page;
    }

    Page open(int width, List<String> errors) {
        return open(width, 900, errors);
    }

    /** The whole page into target/screenshots/NAME-WIDTH.png, and no horizontal scroll at that width. */
    static void shoot(Page page, String name, int width) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-" + width + ".png")).setFullPage(true));
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue())
                .as("%s at %d px has no horizontal scroll", name, width).isLessThanOrEqualTo(width + 1);
    }

    /** The visible part of the page into target/screenshots/NAME.png (the README's pictures are these, copied by hand). */
    static void shootScreen(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
    }

    /** POSTs {@code body} to {@code path} with the upload token; the stored run's id. */
    long upload(String path, HttpRequest.BodyPublisher body) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Authorization", "Bearer " + uploadToken).header("Content-Type", "application/json")
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        return Json.MAPPER.readTree(response.body()).get("id").asLong();
    }
}
