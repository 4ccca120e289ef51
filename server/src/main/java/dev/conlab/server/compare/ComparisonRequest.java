package dev.conlab.server.compare;

import dev.conlab.server.core.LabException;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which runs to compare ({@code runs=A,B,C&baseline=A&workloads=…&models=…&sort=change}), checked: 2 to
 * {@value #MAX_RUNS} distinct positive ids, a baseline among them.
 */
public record ComparisonRequest(List<Long> runs, long baseline, Set<String> workloads, Set<String> models, boolean sortByChange) {

    public static final int MAX_RUNS = 10;

    /** The request as the page's links repeat it, every value URL-encoded. */
    public String query() {
        return "runs=" + String.join(",", runs.stream().map(String::valueOf).toList()) + "&baseline=" + baseline
                + (workloads.isEmpty() ? "" : "&workloads=" + encode(workloads))
                + (models.isEmpty() ? "" : "&models=" + encode(models))
                + (sortByChange ? "&sort=change" : "");
    }

    private static String encode(Set<String> values) {
        return String.join(",", values.stream().map(v -> URLEncoder.encode(v, StandardCharsets.UTF_8)).toList());
    }

    /** From a query string (the share form repeats the comparison's, a shared comparison keeps it). */
    public static ComparisonRequest parse(String query) {
        var params = new LinkedHashMap<String, List<String>>();
        for (String pair : (query == null ? "" : query).split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return parse(name -> params.getOrDefault(name, List.of()));
    }

    /** From named parameters, each with its values: {@code runs=1,2} from a link, or {@code runs=1&runs=2} from checkboxes. */
    public static ComparisonRequest parse(Function<String, List<String>> param) {
        String text = String.join(",", param.apply("runs"));
        if (text.isBlank()) {
            throw new LabException.Invalid("say which runs to compare: runs=A,B (run ids, 2 to " + MAX_RUNS
                    + "), e.g. /compare?runs=1,2&baseline=1");
        }
        var ids = new LinkedHashSet<Long>();
        for (String part : text.split(",")) {
            try {
                long id = Long.parseLong(part.trim());
                if (id <= 0) throw new NumberFormatException();
                ids.add(id);
            } catch (NumberFormatException e) {
                throw new LabException.Invalid("bad run id '" + part.trim() + "' in runs: ids are positive whole numbers, e.g. runs=1,2");
            }
        }
        if (ids.size() < 2 || ids.size() > MAX_RUNS) {
            throw new LabException.Invalid("compare 2 to " + MAX_RUNS + " different runs, not " + ids.size());
        }
        long baseline = ids.iterator().next();
        String b = param.apply("baseline").isEmpty() ? null : param.apply("baseline").get(0);
        if (b != null && !b.isBlank()) {
            try {
                baseline = Long.parseLong(b.trim());
            } catch (NumberFormatException e) {
                throw new LabException.Invalid("bad baseline '" + b + "': give one of the runs' ids");
            }
            if (!ids.contains(baseline)) throw new LabException.Invalid("the baseline " + baseline + " is not one of the runs " + ids);
        }
        return new ComparisonRequest(List.copyOf(ids), baseline, set(String.join(",", param.apply("workloads"))),
                set(String.join(",", param.apply("models"))), param.apply("sort").contains("change"));
    }

    private static Set<String> set(String csv) {
        var set = new LinkedHashSet<String>();
        if (csv != null) for (String s : csv.split(",")) if (!s.isBlank()) set.add(s.trim());
        return set;
    }
}
