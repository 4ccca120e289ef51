package dev.conlab.server;

import dev.conlab.db.Scope;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The browser-facing defences: security headers everywhere, cookies, and form posts from another site refused. */
class SecurityTest {

    private InProcessServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;
    private String admin;

    private void start(InProcessServer started) {
        server = started;
        admin = server.token("admin", Scope.UPLOAD, Scope.QUEUE, Scope.ADMIN);
        base = server.base();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String origin, String csrfCookie, String form) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (origin != null) request.header("Origin", origin);
        if (csrfCookie != null) request.header("Cookie", "conlab_csrf=" + csrfCookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @OnEachDatabase
    void every_answer_carries_the_security_headers(InProcessServer started) throws Exception {
        start(started);
        for (String path : List.of("/", "/runs", "/jdks", "/upload", "/api/health", "/api/runs", "/static/app.js",
                "/static/app.css", "/webjars/htmx.org/2.0.10/dist/htmx.min.js", "/no-such-page", "/api/no-such-endpoint", "/runs/999")) {
            var r = get(path);
            var headers = r.headers();
            assertThat(headers.firstValue("Content-Security-Policy")).as(path).hasValue(App.CSP);
            assertThat(headers.firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(headers.firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.body()).as(path).doesNotContain("\tat ").doesNotContain("Exception");
        }
        assertThat(App.CSP).contains("script-src 'self';").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval")
                .contains("frame-ancestors 'none'");
        // the pages themselves have no inline script for the policy to block
        for (String path : List.of("/", "/runs", "/machines", "/jdks", "/upload")) {
            assertThat(get(path).body()).as(path).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain(" onclick=")
                    .doesNotContain(" style=\"");
        }
    }

    @OnEachDatabase
    void the_csrf_cookie_is_http_only_and_same_site_strict(InProcessServer started) throws Exception {
        start(started);
        String cookie = get("/").headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("conlab_csrf=")).findFirst().orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
    }

    @OnEachDatabase
    void a_form_posted_from_another_site_or_without_the_csrf_token_is_refused_and_changes_nothing(InProcessServer started) throws Exception {
        start(started);
        String csrf = "abcdefghijklmnopqrstuvwx";
        String token = URLEncoder.encode(admin, StandardCharsets.UTF_8);
        String self = base;
        var forms = List.of(
                new String[]{"/queue", "suite=smoke&jdks=all&token=" + token},
                new String[]{"/queue/1/cancel", "token=" + token},
                new String[]{"/machines/1/label", "label=evil&token=" + token},
                new String[]{"/compare/share", "runs=1,2&title=evil&token=" + token},
                new String[]{"/upload", "json=%7B%7D&token=" + token});
        for (String[] form : forms) {
            String path = form[0];
            var crossSite = post(path, "https://evil.example", csrf, "csrf=" + csrf + "&" + form[1]);
            assertThat(crossSite.statusCode()).as(path).isEqualTo(403);
            assertThat(crossSite.body()).as(path).contains("another site").contains("https://evil.example");
            var opaque = post(path, "null", csrf, "csrf=" + csrf + "&" + form[1]);
            assertThat(opaque.statusCode()).as(path + " from a sandboxed frame").isEqualTo(403);
            var noCookie = post(path, self, null, "csrf=" + csrf + "&" + form[1]);
            assertThat(noCookie.statusCode()).as(path).isEqualTo(403);
            assertThat(noCookie.body()).as(path).contains("CSRF");
            var wrongField = post(path, null, csrf, "csrf=zzzzzzzzzzzzzzzzzzzzzzzzzzz&" + form[1]);
            assertThat(wrongField.statusCode()).as(path).isEqualTo(403);
        }
        assertThat(get("/api/queue").body()).isEqualTo("{\"runs\":[]}");
        assertThat(get("/api/health").body()).contains("\"runs\":0");
        // the same form from this server's own page gets past the CSRF check (and on to the token check)
        var own = post("/queue", self, csrf, "csrf=" + csrf + "&suite=smoke&jdks=all&workloads=sleep-io&models=sequential");
        assertThat(own.statusCode()).isEqualTo(401);
    }
}
