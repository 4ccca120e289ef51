package dev.conlab.server;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claims page in a real Chromium against a real `conlab serve` with the sample data: reached from any page's header,
 * every claim of the articles in a row with its verdict, at a desktop's width and a phone's (screenshots in
 * target/screenshots/).
 */
class ClaimsPageIT {

    private static final Path SHOTS = Path.of("target", "screenshots");

    static ServerProcess server;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Chromium.requireOrSkip();
        server = ServerProcess.startWithSampleData(Files.createTempDirectory("conlab-claims"));
        Files.createDirectories(SHOTS);
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
        if (server != null) server.close();
    }

    @Test
    void the_claims_page_is_one_click_from_every_page_and_fits_a_phone() {
        for (int width : new int[] {1440, 390}) {
            List<String> errors = new ArrayList<>();
            var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, 900));
            Page page = context.newPage();
            page.onConsoleMessage(m -> {
                if (m.type().equals("error")) errors.add(m.text());
            });
            page.onPageError(errors::add);
            page.navigate(server.url() + "/runs");
            page.locator("header nav a[href='/claims']").click();
            page.waitForURL("**/claims");
            assertThat(page.locator("h1").textContent()).isEqualTo("The articles, checked");
            // every claim has its row and a verdict: the sample data decides some, the others say how to measure them
            assertThat(page.locator("table.claims tbody tr").count()).isEqualTo(ClaimsTest.IDS.size());
            assertThat(page.locator("table.claims tbody tr .verdict").first().isVisible()).isTrue();
            assertThat(page.locator("tr#gil-ctypes").textContent()).contains("crc-zlib");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("claims-" + width + ".png")).setFullPage(true));
            assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue())
                    .as("the claims page at %d px has no horizontal scroll", width).isLessThanOrEqualTo(width + 1);
            assertThat(errors).isEmpty();
            context.close();
        }
    }
}
