package dev.conlab.server;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's Chromium driven by Playwright (which downloads nothing), for the browser tests. */
final class Chromium {

    static final Path PATH = Path.of(System.getenv().getOrDefault("CONLAB_CHROMIUM", "/usr/bin/chromium"));

    private Chromium() {
    }

    /** Skips the calling test class loudly without Chromium — except under CI=true (.ci/run installs it), where it fails. */
    static void requireOrSkip() {
        if (Files.isExecutable(PATH)) return;
        dev.conlab.bench.Required.orSkip(false, "Chromium at " + PATH + " for the browser tests (apt-get install chromium, or set CONLAB_CHROMIUM)");
    }

    static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    static Browser launch(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(PATH).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", "--disable-quic")));
    }
}
