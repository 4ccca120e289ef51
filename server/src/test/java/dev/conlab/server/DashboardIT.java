package dev.conlab.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.conlab.bench.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static dev.conlab.server.BrowserLab.lab;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real Chromium (Debian's, driven by Playwright) against a real `conlab serve` on a random
 * port with the sample data: queue a run from the form and watch it finish, read its charts against their
 * tables, open the JDK matrix, upload a bad and a good document. Screenshots of every page at 390 and
 * 1440 px go to target/screenshots/ for a reviewer. The server and the browser are the build's {@link BrowserLab}.
 */
@ExtendWith(BrowserLab.Use.class)
@ResourceLock(BrowserLab.LOCK)
class DashboardIT {

    @Test
    void a_run_queued_from_the_form_finishes_and_its_page_shows_charts_that_match_the_tables() {
        var errors = new ArrayList<String>();
        Page page = lab().open(1440, errors);
        page.navigate(lab().url() + "/");
        assertThat(page.title()).contains("Overview");
        BrowserLab.shoot(page, "overview", 1440);

        // without a token: refused, and the panel says why
        page.click("#run-form button[type=submit]");
        Locator refusal = page.locator("#form-result p.error");
        refusal.waitFor();
        assertThat(refusal.textContent()).startsWith("Not queued:").contains("'queue' scope");

        page.check("input[name=workloads][value=sleep-io]");
        page.check("input[name=models][value=sequential]");
        page.check("input[name=models][value=threads]");
        page.uncheck("input[name=jdks]:checked");
        page.check("input[name=jdks][value='25']");
        page.fill("input[name=iterations]", "2");
        page.fill("input[name=token]", lab().queueToken);
        page.click("#run-form button[type=submit]");
        Locator message = page.locator("#form-result .message");
        message.waitFor();
        assertThat(message.textContent()).startsWith("Queued run #");
        long id = Long.parseLong(message.textContent().replaceAll("\\D+", " ").trim().split(" ")[0]);

        // the panel polls by itself; the bar reaches the end and the finished run stays with its link
        Locator item = page.locator("#queue-panel .queue-item[data-run='" + id + "']");
        item.waitFor();
        page.waitForFunction("id => { const el = document.querySelector(`#queue-panel .queue-item[data-run='${id}']`);"
                + " return el && el.dataset.status === 'done'; }", String.valueOf(id), new Page.WaitForFunctionOptions().setTimeout(120_000));
        assertThat(item.locator("progress").getAttribute("value")).isEqualTo("100");
        BrowserLab.shoot(page, "queue-done", 1440);

        item.locator("a", new Locator.LocatorOptions().setHasText("see the results")).click();
        page.waitForURL("**/runs/" + id);
        checkChartsMatchTables(page);
        BrowserLab.shoot(page, "run", 1440);
        assertThat(errors).isEmpty();
    }

    /** Every chart exists (Chart.getChart), and its bars are the medians of the table under it. */
    private static void checkChartsMatchTables(Page page) {
        page.waitForFunction("() => document.querySelectorAll('canvas[data-chart]').length > 0"
                + " && [...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c))");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> charts = (List<Map<String, Object>>) page.evaluate("() => [...document.querySelectorAll('canvas[data-chart]')].map(c => {"
                + " const chart = Chart.getChart(c); const table = document.querySelector(`table[data-table-for='${c.id}']`);"
                + " return { unit: chart.$conlab.unit, labels: chart.data.labels, medians: chart.data.datasets[0].data,"
                + "   rows: [...table.querySelectorAll('tbody tr[data-status=ok]')].map(r => [r.dataset.model, r.querySelector('.median').textContent]) }; })");
        assertThat(charts).isNotEmpty();
        for (Map<String, Object> chart : charts) {
            @SuppressWarnings("unchecked") List<String> labels = (List<String>) chart.get("labels");
            @SuppressWarnings("unchecked") List<Number> medians = (List<Number>) chart.get("medians");
            @SuppressWarnings("unchecked") List<List<String>> rows = (List<List<String>>) chart.get("rows");
            assertThat(labels).containsExactlyElementsOf(rows.stream().map(r -> r.get(0)).toList());
            for (int i = 0; i < labels.size(); i++) {
                double chartNanos = medians.get(i).doubleValue() * nanos((String) chart.get("unit"));
                String[] text = rows.get(i).get(1).split(" ");
                double tableNanos = Double.parseDouble(text[0]) * nanos(text[1]);
                assertThat(chartNanos).as(labels.get(i)).isCloseTo(tableNanos, org.assertj.core.data.Percentage.withPercentage(1));
            }
        }
    }

    private static double nanos(String unit) {
        return switch (unit) {
            case "s" -> 1e9;
            case "ms" -> 1e6;
            case "µs" -> 1e3;
            case "ns" -> 1;
            default -> throw new AssertionError("unit " + unit);
        };
    }

    /** Uploads a document through the API with the upload token; its run id. */
    private static long uploadDocument(String json) throws Exception {
        return lab().upload("/api/runs", java.net.http.HttpRequest.BodyPublishers.ofString(json));
    }

    @Test
    void a_sweeps_page_draws_each_curve_with_the_points_of_its_table_and_switches_to_throughput() throws Exception {
        long id = uploadDocument(dev.conlab.bench.TestDocuments.sweepJson(25));
        var errors = new ArrayList<String>();
        Page page = lab().open(1440, errors);
        page.navigate(lab().url() + "/runs/" + id);
        page.waitForFunction("() => document.querySelectorAll('canvas[data-curve-chart]').length > 0"
                + " && [...document.querySelectorAll('canvas[data-curve-chart], canvas[data-memory-chart]')].every(c => Chart.getChart(c))");
        // what each chart draws — its median lines' points — against the rows of the table under it
        String read = "() => [...document.querySelectorAll('canvas[data-curve-chart]')].map(c => {"
                + " const chart = Chart.getChart(c); const table = document.querySelector(`table[data-table-for='${c.id}']`);"
                + " return { unit: chart.$conlab.timeUnit, mode: chart.$mode,"
                + "   lines: chart.data.datasets.filter(d => d.$role === 'median').map(d => ({ label: d.label, points: d.data.map(p => [p.x, p.y]) })),"
                + "   rows: [...table.querySelectorAll('tbody tr[data-status=ok]')].map(r => [r.dataset.label, Number(r.dataset.x), Number(r.dataset.medianNs)]) }; })";
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> charts = (List<Map<String, Object>>) page.evaluate(read);
        assertThat(charts).hasSize(1);
        for (Map<String, Object> chart : charts) {
            @SuppressWarnings("unchecked") List<Map<String, Object>> lines = (List<Map<String, Object>>) chart.get("lines");
            @SuppressWarnings("unchecked") List<List<Object>> rows = (List<List<Object>>) chart.get("rows");
            var drawn = new ArrayList<String>();
            for (Map<String, Object> line : lines) {
                @SuppressWarnings("unchecked") List<List<Number>> points = (List<List<Number>>) line.get("points");
                for (List<Number> p : points) {
                    drawn.add(line.get("label") + " @ " + p.get(0).longValue());
                    List<Object> row = rows.stream().filter(r -> r.get(0).equals(line.get("label")) && ((Number) r.get(1)).longValue() == p.get(0).longValue())
                            .findFirst().orElseThrow(() -> new AssertionError("no table row for " + line.get("label") + " at " + p.get(0)));
                    assertThat(p.get(1).doubleValue() * nanos((String) chart.get("unit"))).as(line.get("label") + " at " + p.get(0))
                            .isCloseTo(((Number) row.get(2)).doubleValue(), org.assertj.core.data.Percentage.withPercentage(0.01));
                }
            }
            assertThat(drawn).hasSize(rows.size()).hasSize(9);
        }
        assertThat(page.locator("ul.sentences li").allTextContents()).isNotEmpty();
        BrowserLab.shoot(page, "curves", 1440);

        // throughput: tasks ÷ time, the same points
        page.check("input.curve-y[value=throughput]");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> after = (List<Map<String, Object>>) page.evaluate(read);
        assertThat(after.get(0).get("mode")).isEqualTo("throughput");
        @SuppressWarnings("unchecked") List<Map<String, Object>> lines = (List<Map<String, Object>>) after.get(0).get("lines");
        @SuppressWarnings("unchecked") List<List<Object>> rows = (List<List<Object>>) after.get(0).get("rows");
        for (Map<String, Object> line : lines) {
            @SuppressWarnings("unchecked") List<List<Number>> points = (List<List<Number>>) line.get("points");
            for (List<Number> p : points) {
                List<Object> row = rows.stream().filter(r -> r.get(0).equals(line.get("label")) && ((Number) r.get(1)).longValue() == p.get(0).longValue())
                        .findFirst().orElseThrow();
                double expected = p.get(0).doubleValue() * 1e9 / ((Number) row.get(2)).doubleValue();
                assertThat(p.get(1).doubleValue()).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(0.01));
            }
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void a_python_run_beside_a_jvm_run_compares_by_each_runtimes_fastest_model_and_the_form_offers_the_interpreters() throws Exception {
        long jvm = uploadDocument(dev.conlab.bench.TestDocuments.runtimesJson("jdk25"));
        long python = uploadDocument(dev.conlab.bench.TestDocuments.runtimesJson("python"));
        var errors = new ArrayList<String>();
        Page page = lab().open(1440, errors);
        page.navigate(lab().url() + "/runs/" + python);
        assertThat(page.locator("h1").textContent()).contains("CPython 3.");
        assertThat(page.locator("dl.facts").first().textContent()).contains("GIL").contains("Python");
        page.navigate(lab().url() + "/compare?runs=" + jvm + "&runs=" + python);
        page.waitForFunction("() => [...document.querySelectorAll('canvas[data-compare-chart]')].every(c => Chart.getChart(c))");
        var best = page.locator("table.compare tr[data-model=best-model]");
        assertThat(best.count()).as("one row per workload").isEqualTo(page.locator("section.workload").count()).isPositive();
        assertThat(best.first().textContent()).contains("fastest model of each runtime").contains("×");
        BrowserLab.shoot(page, "compare-runtimes", 1440);
        if (!dev.conlab.bench.fork.Pythons.discover().all().isEmpty()) {
            page.navigate(lab().url() + "/");
            assertThat(page.locator("#python-choices input[name=pythons]").count()).isPositive();
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void an_imported_jmh_file_draws_a_chart_per_benchmark_and_mode_beside_jmh_score_and_compares_with_its_direction() throws Exception {
        long machine = lab().server.get("/api/runs/1").get("run").get("machineId").asLong();
        long jdk17 = uploadJmh(machine, "import-sample-jdk17.json");
        long jdk25 = uploadJmh(machine, "import-sample-jdk25.json");
        var errors = new ArrayList<String>();
        for (int width : new int[] {390, 1440}) {
            Page page = lab().open(width, errors);
            page.navigate(lab().url() + "/runs/" + jdk25);
            page.waitForFunction("() => [...document.querySelectorAll('section.jmh canvas')].every(c => Chart.getChart(c))");
            assertThat(page.locator("section.jmh").count()).isEqualTo(4); // 2 benchmarks × 2 modes
            assertThat(page.locator("section.jmh table tbody tr").count()).isEqualTo(8);
            assertThat(page.locator("section.jmh td.jmh-score").first().textContent()).contains("ops/us ±");
            // @Param size (1,000 and 100,000) is a sweep: each benchmark × mode a curve over it on a log axis, with a point per
            // row of the table beside it, at the table's median, in JMH's unit
            assertThat(page.locator("section.jmh canvas[data-jmh-curve]").count()).isEqualTo(4);
            for (Locator section : page.locator("section.jmh").all()) {
                String chart = "Chart.getChart(document.getElementById('" + section.locator("canvas").getAttribute("id") + "'))";
                assertThat(page.evaluate(chart + ".options.scales.x.type")).isEqualTo("logarithmic");
                @SuppressWarnings("unchecked")
                var medians = (List<Number>) page.evaluate(chart + ".data.datasets.filter(d => d.$role === 'median')"
                        + ".flatMap(d => d.data.map(p => p.y))");
                assertThat(medians).hasSize(section.locator("tbody tr").count());
                var shown = section.locator("tbody td.median").allTextContents();
                assertThat(shown).hasSize(medians.size());
            }
            BrowserLab.shoot(page, "run-jmh", width);
            page.navigate(lab().url() + "/compare?runs=" + jdk17 + "&runs=" + jdk25);
            page.waitForFunction("() => [...document.querySelectorAll('canvas[data-compare-chart]')].every(c => Chart.getChart(c))");
            assertThat(page.locator("table.compare").first().textContent()).contains("ops/us, higher is better").contains("faster");
            // each benchmark × unit overlays the two runs over @Param size: the baseline solid, the other dashed, 2 points each
            page.waitForFunction("() => [...document.querySelectorAll('canvas[data-compare-curve]')].every(c => Chart.getChart(c))");
            assertThat(page.locator("canvas[data-compare-curve]").count()).isEqualTo(4);
            String shape = (String) page.evaluate("() => [...document.querySelectorAll('canvas[data-compare-curve]')].map(c => {"
                    + " const ch = Chart.getChart(c); return ch.options.scales.y.type + ':' + ch.data.datasets.map(d => d.data.length"
                    + " + (d.borderDash.length ? 'dashed' : 'solid')).join(','); }).join(' ')");
            assertThat(shape).isEqualTo("linear:2solid,2dashed linear:2solid,2dashed linear:2solid,2dashed linear:2solid,2dashed");
            BrowserLab.shoot(page, "compare-jmh", width);
        }
        assertThat(errors).isEmpty();
    }

    private static long uploadJmh(long machine, String file) throws Exception {
        return lab().upload("/api/runs?machine=" + machine + "&file=" + file,
                java.net.http.HttpRequest.BodyPublishers.ofFile(java.nio.file.Path.of("src/test/resources/jmh", file)));
    }

    @Test
    void the_jdk_matrix_shows_the_completable_future_change_between_17_and_25() {
        var errors = new ArrayList<String>();
        Page page = lab().open(1440, errors);
        page.navigate(lab().url() + "/jdks");
        assertThat(page.locator("h1").textContent()).isEqualTo("JDK matrix");
        page.selectOption("select[name=suite]", "seed"); // the sample data's seed runs: only they are of that suite
        page.click("form.filters button[type=submit]");
        page.waitForURL("**/jdks?*suite=seed*");
        // sleep-io row, completable-future column: JDK 25's async pool runs tasks on 1 thread here (2 cores)
        int column = ((Number) page.evaluate("() => [...document.querySelectorAll('table.matrix thead th')]"
                + ".findIndex(th => th.textContent.trim() === 'completable-future')")).intValue();
        assertThat(column).isPositive();
        Locator cell = page.locator("table.matrix tbody tr:has(th:text-is('sleep-io')) > :nth-child(" + (column + 1) + ")");
        assertThat(cell.getAttribute("class")).contains("much-slower");
        assertThat(Double.parseDouble(cell.textContent())).isGreaterThan(2);
        BrowserLab.shoot(page, "jdks", 1440);
        assertThat(errors).isEmpty();
    }

    @Test
    void a_bad_upload_shows_its_problems_inline_and_a_good_one_lands_on_its_run() throws Exception {
        var errors = new ArrayList<String>();
        Page page = lab().open(1440, errors);
        page.navigate(lab().url() + "/upload");
        Path bad = lab().data.resolve("bad.json");
        Files.writeString(bad, "{\"schema\": \"conlab.run/1\", \"results\": []}");
        page.setInputFiles("input[name=file]", bad);
        page.fill("input[name=token]", lab().uploadToken);
        page.click("#upload-form button[type=submit]");
        Locator error = page.locator("#upload-error");
        error.waitFor();
        assertThat(error.textContent()).contains("not a valid conlab.run/1").contains("$.results");
        BrowserLab.shoot(page, "upload-error", 1440);

        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(Path.of("..", "sample-data", "smoke-jdk25.json").toFile());
        doc.put("id", UUID.randomUUID().toString());
        Path file = lab().data.resolve("good.json");
        Files.writeString(file, doc.toString());
        page.setInputFiles("input[name=file]", file);
        page.click("#upload-form button[type=submit]");
        page.waitForURL("**/runs/*");
        assertThat(page.title()).startsWith("Run #");
        checkChartsMatchTables(page);
        // errors from the 400 answer itself are expected; none after it
        errors.removeIf(e -> e.contains("400"));
        assertThat(errors).isEmpty();
    }

    @Test
    void every_page_reads_at_390_and_1440_pixels_without_errors() {
        for (int width : List.of(390, 1440)) {
            var errors = new ArrayList<String>();
            Page page = lab().open(width, errors);
            for (String path : List.of("/", "/runs", "/runs/2", "/machines", "/machines/1", "/jdks", "/upload",
                    "/machines/1/history?workload=sleep-io&model=threads")) {
                page.navigate(lab().url() + path);
                assertThat(page.title()).as(path).endsWith("· Concurrency Lab");
                assertThat(page.locator("h1").count()).as(path).isEqualTo(1);
                String name = path.equals("/") ? "overview" : path.substring(1).replaceAll("[^A-Za-z0-9]+", "-");
                if (path.startsWith("/runs/")) checkChartsMatchTables(page);
                if (path.contains("/history")) {
                    // the chart is drawn from its data, one point per run in the table
                    assertThat((Boolean) page.evaluate("Chart.getChart(document.getElementById('history-chart')) != null")).isTrue();
                    assertThat(page.locator("table tbody tr").count()).isPositive();
                }
                BrowserLab.shoot(page, String.format(Locale.ROOT, "page-%s", name), width);
            }
            // keyboard: the first Tab lands on a link of the navigation
            page.navigate(lab().url() + "/");
            page.keyboard().press("Tab");
            assertThat((String) page.evaluate("document.activeElement.tagName")).isEqualTo("A");
            assertThat(errors).as("console errors at %d px", width).isEmpty();
        }
    }

    @Test
    void a_machine_is_relabelled_with_the_admin_token_and_a_hostile_label_shows_as_text() {
        var errors = new ArrayList<String>();
        Page page = lab().open(1440, errors);
        page.onDialog(dialog -> errors.add("a dialog opened: " + dialog.message()));
        page.navigate(lab().url() + "/machines/1");
        String original = page.locator("h1").textContent();
        String hostile = "<script>alert(1)</script>";
        page.fill("input[name=label]", hostile);
        page.fill("input[name=token]", lab().uploadToken); // wrong scope: refused, nothing changes
        page.click("form[action$='/label'] button[type=submit]");
        assertThat(page.locator("p.error").textContent()).contains("'admin' scope");
        page.navigate(lab().url() + "/machines/1");
        page.fill("input[name=label]", hostile);
        page.fill("input[name=token]", lab().adminToken);
        page.click("form[action$='/label'] button[type=submit]");
        page.waitForURL("**/machines/1");
        assertThat(page.locator("h1").textContent()).isEqualTo(hostile);
        for (String path : List.of("/", "/machines", "/machines/1", "/runs", "/runs/1", "/jdks", "/compare?runs=3,4")) {
            page.navigate(lab().url() + path);
            assertThat(page.content()).as(path).doesNotContain(hostile).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        }
        errors.removeIf(e -> e.contains("403"));
        assertThat(errors).isEmpty();

        // back to its name, for the other tests' screenshots
        page.navigate(lab().url() + "/machines/1");
        page.fill("input[name=label]", original);
        page.click("form[action$='/label'] button[type=submit]");
        page.waitForURL("**/machines/1");
        assertThat(page.locator("h1").textContent()).isEqualTo(original);
    }

    @Test
    void runs_selected_on_the_runs_page_compare_with_charts_and_download_as_csv_and_markdown() throws Exception {
        var errors = new ArrayList<String>();
        Page page = lab().open(1440, errors);
        page.navigate(lab().url() + "/runs/4");
        checkChartsMatchTables(page);
        BrowserLab.shootScreen(page, "docs-run");
        page.navigate(lab().url() + "/runs?suite=smoke");
        // the sample data's smoke runs, JDK 17 (#3) and JDK 25 (#4): loaded in file-name order into the empty database
        assertThat(page.locator("#compare-form input[name=runs]").count()).isGreaterThanOrEqualTo(2);
        page.check("#compare-form input[name=runs][value='3']");
        page.check("#compare-form input[name=runs][value='4']");
        page.click("#compare-form button[type=submit]");
        page.waitForURL("**/compare?*");
        assertThat(page.locator("h1").textContent()).isEqualTo("Compare 2 runs");
        assertThat(page.locator("table.env tr.differs").count()).as("JDK 17 vs 25 differ at least in the JDK").isPositive();
        page.waitForFunction("() => [...document.querySelectorAll('canvas[data-compare-chart]')].every(c => Chart.getChart(c))");
        assertThat(page.locator("table.compare td.slower, table.compare td.faster").count()).isPositive();
        assertThat(page.locator(".footnote").textContent()).contains("Welch's t-test on log times");
        BrowserLab.shoot(page, "compare", 1440);
        page.evaluate("document.querySelector('section.workload').scrollIntoView()");
        BrowserLab.shootScreen(page, "docs-compare");

        // share it, then open the permalink in a fresh browser context and download from there
        page.click("details.share summary");
        page.fill("#share-form input[name=title]", "JDK 25 against 17, smoke");
        page.fill("#share-form textarea[name=note]", "shared by the browser test");
        page.fill("#share-form input[name=token]", lab().uploadToken);
        page.click("#share-form button[type=submit]");
        page.waitForURL("**/c/*");
        String permalink = page.url();
        assertThat(permalink.substring(permalink.lastIndexOf('/') + 1)).hasSizeGreaterThanOrEqualTo(10);
        Page fresh = lab().open(1440, errors);
        fresh.navigate(permalink);
        assertThat(fresh.locator("h1").textContent()).isEqualTo("JDK 25 against 17, smoke");
        assertThat(fresh.locator("meta[property='og:description']").getAttribute("content")).contains("faster").contains("slower");
        fresh.waitForFunction("() => [...document.querySelectorAll('canvas[data-compare-chart]')].every(c => Chart.getChart(c))");
        BrowserLab.shoot(fresh, "permalink", 1440);

        var csv = fresh.waitForDownload(() -> fresh.click("a:text-is('CSV')"));
        String csvText = Files.readString(csv.path());
        assertThat(csvText.lines().findFirst().orElseThrow()).isEqualTo(String.join(",", dev.conlab.server.compare.ComparisonTable.COLUMNS));
        var md = fresh.waitForDownload(() -> fresh.click("a:text-is('Markdown')"));
        assertThat(Files.readString(md.path())).contains("| workload | model | run | baseline_run |");
        assertThat(errors).isEmpty();
    }
}
