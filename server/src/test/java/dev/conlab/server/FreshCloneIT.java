package dev.conlab.server;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new user's first minutes, on a clean copy of the repository (the files git tracks, nothing built, no data):
 * {@code ./conlab serve} builds the jar, starts on H2 with the sample data and prints its URL; Chromium opens
 * {@code /} and finds the sample runs and the first steps; {@code ./conlab token create} works while the
 * server runs, and {@code ./conlab upload} with that token reaches it.
 */
class FreshCloneIT {

    @Test
    void conlab_serve_on_a_clean_copy_shows_the_sample_runs_in_a_browser() throws Exception {
        Chromium.requireOrSkip();
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path copy = cleanCopy(repo);
        assertThat(copy.resolve("server/target")).doesNotExist();
        assertThat(copy.resolve("data")).doesNotExist();

        // the README's command; CONLAB_PORT=0 only because 7070 may be taken on a test machine
        var serve = new ProcessBuilder("./conlab", "serve").directory(copy.toFile()).redirectErrorStream(true);
        serve.environment().put("CONLAB_PORT", "0");
        serve.environment().remove("CONLAB_SAMPLE_DATA");
        serve.environment().remove("CONLAB_DATA_DIR");
        serve.environment().remove("CONLAB_DB_URL");
        try (ServerProcess server = ServerProcess.await(serve.start(), Duration.ofMinutes(8))) { // the first start builds the jar
            String url = server.url();
            assertThat(server.output()).contains("conlab: building").contains("Loaded " + SampleData.runs() + " sample runs");
            assertThat(copy.resolve("data/conlab.mv.db")).exists();

            try (Playwright playwright = Chromium.playwright(); Browser browser = Chromium.launch(playwright)) {
                Page page = browser.newPage();
                var errors = new ArrayList<String>();
                page.onConsoleMessage(m -> {
                    if (m.type().equals("error")) errors.add(m.text());
                });
                page.onPageError(errors::add);
                page.navigate(url + "/");
                assertThat(page.title()).isEqualTo("Overview · Concurrency Lab");
                var rows = page.locator("#latest-heading ~ .table-wrap table.runs tbody tr");
                assertThat(rows.count()).as("the latest ten runs of the sample data").isEqualTo(Math.min(10, SampleData.runs()));
                String runs = rows.allTextContents().toString();
                assertThat(runs).contains("seed").contains("smoke").contains("scaling").contains("17.").contains("25.").contains("CPython 3.");
                assertThat(page.locator("#start-heading").textContent()).isEqualTo("Start here");
                page.click("#start-compare");
                page.waitForURL("**/compare?*");
                assertThat(page.locator("h1").textContent()).isEqualTo("Compare 2 runs");
                page.waitForFunction("() => [...document.querySelectorAll('canvas[data-compare-chart]')].every(c => Chart.getChart(c))");
                assertThat(errors).isEmpty();
            }

            // a token made while the server holds the database reaches it (H2's auto-server mode)
            var token = run(copy, "./conlab", "token", "create", "--name", "first", "--scopes", "upload");
            assertThat(token.code()).as(token.output()).isZero();
            String secret = token.output().lines().filter(l -> l.startsWith("clb_")).findFirst().orElseThrow();
            var upload = run(copy, "./conlab", "upload", "sample-data/smoke-jdk25.json", "--server", url, "--token", secret);
            assertThat(upload.code()).as(upload.output()).isZero();
            assertThat(upload.output()).contains("already stored");
        }
    }

    record Result(int code, String output) {
    }

    private static Result run(Path dir, String... command) throws Exception {
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("CONLAB_TOKEN");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), output);
    }

    /** The files git tracks (and new ones it does not ignore), copied as they are in the working tree: a clone without .git. */
    static Path cleanCopy(Path repo) throws Exception {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(repo.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor()).as("git ls-files in %s", repo).isZero();
        Path copy = Files.createTempDirectory("conlab-fresh");
        List<String> files = List.of(listing.split("\0"));
        for (String name : files) {
            if (name.isEmpty()) continue;
            Path from = repo.resolve(name);
            if (!Files.exists(from)) continue; // deleted in the working tree, not yet committed
            Path to = copy.resolve(name);
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return copy;
    }
}
