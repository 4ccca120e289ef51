package dev.conlab.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/API.md against the route table: every route of {@code App} is documented there, and every route the page names
 * exists. The agent's routes are written there under {@code /api/agents/{machine}/…}, as {@code POST …/claim}.
 */
class ApiDocsTest {

    private static final String AGENT = "/api/agents/{machine}/";

    static TreeSet<String> routes() throws Exception {
        String app = Files.readString(Path.of("src", "main", "java", "dev", "conlab", "server", "App.java"));
        var m = Pattern.compile("config\\.routes\\.(get|post|put|delete|patch)\\(\"(/api[^\"]*)\"").matcher(app);
        var routes = new TreeSet<String>();
        while (m.find()) routes.add(m.group(1).toUpperCase(java.util.Locale.ROOT) + " " + m.group(2));
        return routes;
    }

    @Test
    void every_route_is_documented_and_every_documented_route_exists() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "API.md"));
        var routes = routes();
        assertThat(routes).hasSizeGreaterThan(20);
        var undocumented = new ArrayList<String>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1);
            boolean said = docs.contains("`" + route + "`") || docs.contains("`" + route + "?")
                    || path.startsWith(AGENT) && (docs.contains("`" + method + " …/" + path.substring(AGENT.length()) + "`")
                    || docs.contains("`" + method + " …/" + path.substring(AGENT.length()) + "?"));
            if (!said) undocumented.add(route);
        }
        assertThat(undocumented).as("routes of App that docs/API.md does not name").isEmpty();

        var named = Pattern.compile("`(GET|POST|PUT|DELETE|PATCH) (/api[^`?\\s]*)").matcher(docs);
        var stale = new ArrayList<String>();
        while (named.find()) {
            String route = named.group(1) + " " + named.group(2);
            if (!routes.contains(route)) stale.add(route);
        }
        assertThat(stale).as("routes docs/API.md names that App does not have").isEmpty();
    }
}
