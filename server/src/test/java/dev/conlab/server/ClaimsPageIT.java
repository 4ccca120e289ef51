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
 * Pages that answer first, in a real Chromium against a real `conlab serve` with the sample data: the claims page, reached
 * from any page's header, every claim of the articles in a row with its verdict; a run's page, whose first lines say which
 * model wins each workload — at a desktop's width and a phone's (screenshots in target/screenshots/).
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

    @Test
    void a_run_page_opens_with_its_answer_within_the_first_screen() throws Exception {
        var runs = server.get("/api/runs?limit=50").get("runs");
        long id = -1;
        for (var r : runs) if (r.get("suite").asText().equals("seed")) id = r.get("id").asLong();
        assertThat(id).as("the sample data has a seed run").isPositive();
        for (int[] size : new int[][] {{1440, 900}, {390, 844}}) {
            var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(size[0], size[1]));
            Page page = context.newPage();
            page.navigate(server.url() + "/runs/" + id);
            var first = page.locator(".answer ul.answers li").first();
            assertThat(first.textContent()).contains(" is fastest at ");
            var box = first.boundingBox();
            assertThat(box.y + box.height).as("the first answer at %d px wide is within the first screen", size[0]).isLessThanOrEqualTo(size[1]);
            // the environment is said once, folded below the results
            assertThat(page.locator("details.environment").count()).isEqualTo(1);
            assertThat(page.locator("details.environment").getAttribute("open")).isNull();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("run-answer-" + size[0] + ".png")));
            context.close();
        }
    }

    @Test
    void the_overview_opens_with_the_answers_within_the_first_screen() {
        for (int[] size : new int[][] {{1440, 900}, {390, 844}}) {
            var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(size[0], size[1]));
            Page page = context.newPage();
            page.navigate(server.url() + "/");
            // the sample data: this host has only smoke and sweep runs, so the seed runs' machine answers, named
            var first = page.locator(".answer ul.answers li").first();
            assertThat(first.textContent()).contains(" wins at ").contains("run #");
            var box = first.boundingBox();
            assertThat(box.y + box.height).as("the first answer at %d px wide is within the first screen", size[0]).isLessThanOrEqualTo(size[1]);
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("overview-answer-" + size[0] + ".png")));
            context.close();
        }
    }
}
