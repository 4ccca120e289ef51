package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.util.ArrayList;
import java.util.List;

import static dev.conlab.server.BrowserLab.lab;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages that answer first, in a real Chromium against a real `conlab serve` with the sample data: the claims page, reached
 * from any page's header, every claim of the articles in a row with its verdict; a run's page, whose first lines say which
 * model wins each workload — at a desktop's width and a phone's (screenshots in target/screenshots/). The server and the
 * browser are the build's {@link BrowserLab}.
 */
@ExtendWith(BrowserLab.Use.class)
@ResourceLock(BrowserLab.LOCK)
class ClaimsPageIT {

    @Test
    void the_claims_page_is_one_click_from_every_page_and_fits_a_phone() {
        for (int width : new int[] {1440, 390}) {
            List<String> errors = new ArrayList<>();
            Page page = lab().open(width, errors);
            page.navigate(lab().url() + "/runs");
            page.locator("header nav a[href='/claims']").click();
            page.waitForURL("**/claims");
            assertThat(page.locator("h1").textContent()).isEqualTo("The articles, checked");
            // every claim has its row and a verdict: the sample data decides some, the others say how to measure them
            assertThat(page.locator("table.claims tbody tr").count()).isEqualTo(ClaimsTest.IDS.size());
            assertThat(page.locator("table.claims tbody tr .verdict").first().isVisible()).isTrue();
            assertThat(page.locator("tr#gil-ctypes").textContent()).contains("crc-zlib");
            BrowserLab.shoot(page, "claims", width);
            assertThat(errors).isEmpty();
            page.context().close();
        }
    }

    @Test
    void a_run_page_opens_with_its_answer_within_the_first_screen() throws Exception {
        var runs = lab().server.get("/api/runs?limit=50").get("runs");
        long id = -1;
        for (var r : runs) if (r.get("suite").asText().equals("seed")) id = r.get("id").asLong();
        assertThat(id).as("the sample data has a seed run").isPositive();
        for (int[] size : new int[][] {{1440, 900}, {390, 844}}) {
            Page page = lab().open(size[0], size[1], new ArrayList<>());
            page.navigate(lab().url() + "/runs/" + id);
            var first = page.locator(".answer ul.answers li").first();
            assertThat(first.textContent()).contains(" is fastest at ");
            var box = first.boundingBox();
            assertThat(box.y + box.height).as("the first answer at %d px wide is within the first screen", size[0]).isLessThanOrEqualTo(size[1]);
            // the environment is said once, folded below the results
            assertThat(page.locator("details.environment").count()).isEqualTo(1);
            assertThat(page.locator("details.environment").getAttribute("open")).isNull();
            BrowserLab.shootScreen(page, "run-answer-" + size[0]);
            page.context().close();
        }
    }

    @Test
    void the_overview_opens_with_the_answers_within_the_first_screen() {
        for (int[] size : new int[][] {{1440, 900}, {390, 844}}) {
            Page page = lab().open(size[0], size[1], new ArrayList<>());
            page.navigate(lab().url() + "/");
            // the sample data: this host has only smoke and sweep runs, so the seed runs' machine answers, named
            var first = page.locator(".answer ul.answers li").first();
            assertThat(first.textContent()).contains(" wins at ").contains("run #");
            var box = first.boundingBox();
            assertThat(box.y + box.height).as("the first answer at %d px wide is within the first screen", size[0]).isLessThanOrEqualTo(size[1]);
            BrowserLab.shootScreen(page, "overview-answer-" + size[0]);
            page.context().close();
        }
    }

    @Test
    void a_claims_button_queues_exactly_the_run_its_command_names() throws Exception {
        Page page = lab().open(1440, 900, new ArrayList<>());
        page.navigate(lab().url() + "/claims");
        // gevent-threadpool: ./conlab run --python python3 --suite seed --workloads sleep-io --models thread-pool
        //                    -p sleep-io.tasks=4 -p thread-pool.workers=3 — one cell
        var row = page.locator("tr#gevent-threadpool");
        row.locator("form.queue-claim input[name=token]").fill(lab().queueToken);
        row.locator("form.queue-claim button").click();
        page.waitForURL(lab().url() + "/");
        JsonNode queued = null;
        for (JsonNode r : lab().server.get("/api/queue").get("runs")) queued = r;
        assertThat(queued).as("the claim's run is in the queue").isNotNull();
        assertThat(queued.get("suite").asText()).isEqualTo("seed");
        assertThat(queued.get("runtime").asText()).isEqualTo("python");
        assertThat(queued.get("progress").get("cellsTotal").asInt()).as("sleep-io × thread-pool at one point").isEqualTo(1);
        assertThat(lab().server.send("DELETE", "/api/queue/" + queued.get("id").asLong(), lab().queueToken, null).statusCode()).isEqualTo(200);
        // the token is remembered for the session: the buttons need no token field any more
        page.navigate(lab().url() + "/claims");
        assertThat(page.locator("form.queue-claim").count()).isEqualTo(ClaimsTest.IDS.size());
        assertThat(page.locator("form.queue-claim input[name=token]").count()).isZero();
        page.context().close();
    }

    @Test
    void the_python_matrix_sets_the_sample_datas_pypy_against_cpython() {
        Page page = lab().open(390, 844, new ArrayList<>());
        page.navigate(lab().url() + "/jdks");
        page.locator("a[href='/pythons']").click();
        page.waitForURL("**/pythons");
        assertThat(page.locator("h1").textContent()).isEqualTo("Python matrix");
        page.selectOption("select[name=suite]", "seed");
        page.selectOption("select[name=to]", page.locator("select[name=to] option", new Page.LocatorOptions().setHasText("PyPy")).first()
                .getAttribute("value"));
        page.locator("form.filters button[type=submit]").click();
        page.waitForURL("**/pythons?*");
        // the seed runs' cpu-sum × serial: PyPy several times faster than CPython, and said so with its interval
        var cell = page.locator("table.matrix tr", new Page.LocatorOptions().setHasText("cpu-sum")).locator("td").first();
        assertThat(cell.getAttribute("class")).contains("faster");
        assertThat(cell.getAttribute("title")).startsWith("PyPy ").contains(" ÷ CPython ").contains("95 % CI");
        BrowserLab.shoot(page, "pythons", 390);
        page.context().close();
    }

    @Test
    void a_comparison_opens_with_what_changed_and_folds_the_equal_environment() {
        Page page = lab().open(1440, 900, new ArrayList<>());
        page.navigate(lab().url() + "/compare?runs=3,4"); // the sample data's smoke runs, JDK 17 and JDK 25
        assertThat(page.locator("main section").first().locator("h2").textContent()).isEqualTo("What changed");
        var changes = page.locator("table.changes tbody tr");
        assertThat(changes.count()).as("JDK 25 against 17: some cells differ").isPositive();
        // largest change first
        List<Double> sizes = new ArrayList<>();
        for (int i = 0; i < changes.count(); i++) {
            String ratio = changes.nth(i).locator("td.num").textContent().strip().split("×")[0];
            sizes.add(Math.abs(Math.log(Double.parseDouble(ratio))));
        }
        for (int i = 1; i < sizes.size(); i++) assertThat(sizes.get(i)).isLessThanOrEqualTo(sizes.get(i - 1) + 1e-9);
        var box = changes.first().boundingBox();
        assertThat(box.y + box.height).as("the largest change is within the first screen").isLessThanOrEqualTo(900);
        // facts that differ are shown; the equal ones folded
        assertThat(page.locator("table.env tr.differs").count()).isPositive();
        assertThat(page.locator("details.environment").getAttribute("open")).isNull();
        assertThat(page.locator("details.environment summary").textContent()).contains("facts equal in all runs");
        BrowserLab.shootScreen(page, "compare-changed-1440");
        page.context().close();
    }
}
