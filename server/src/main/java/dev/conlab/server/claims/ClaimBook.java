package dev.conlab.server.claims;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The source articles' claims ({@code ../shared/CLAIMS.md}, paraphrased), each with the conditions on measured cells that
 * decide it: read once from {@code claims.json} beside this class's package on the class path.
 */
public final class ClaimBook {

    /** What a condition asks of the cells; see {@link ClaimJudge} for how each kind is decided. */
    public record Condition(String kind, String workload, String model, String than, Double min, Double max, Double seconds,
                            Double tolerance, Map<String, Long> params, Map<String, Long> modelParams, String faster) {
    }

    /**
     * One claim.
     *
     * @param runtime {@code python} (decided on each Python runtime's runs), or {@code pythons} (two runtimes of one machine
     *                set against each other)
     */
    public record Claim(String id, String article, String claim, String theirFigures, String check, String command, String runtime,
                        List<Condition> conditions) {

        /** The run its command asks for, as the run form would send it (the claims page's "queue these runs" button). */
        public Run run() {
            return Run.of(command);
        }
    }

    /**
     * A claim's command read back: {@code ./conlab run} with {@code --python A,B}, {@code --suite}, {@code --workloads},
     * {@code --models} and any {@code -p owner.name=value} — the only options claims.json uses (ClaimsTest checks each
     * command reads back and is a run the queue accepts).
     */
    public record Run(String suite, List<String> pythons, List<String> workloads, List<String> models, List<String> params) {

        public static Run of(String command) {
            String[] words = command.strip().split("\\s+");
            if (words.length < 2 || !words[0].equals("./conlab") || !words[1].equals("run")) {
                throw new IllegalArgumentException("a claim's command must start with ./conlab run: " + command);
            }
            String suite = null;
            List<String> pythons = List.of();
            List<String> workloads = List.of();
            List<String> models = List.of();
            var params = new ArrayList<String>();
            for (int i = 2; i < words.length; i += 2) {
                if (i + 1 >= words.length) throw new IllegalArgumentException("'" + words[i] + "' has no value in: " + command);
                String value = words[i + 1];
                switch (words[i]) {
                    case "--suite" -> suite = value;
                    case "--python" -> pythons = List.of(value.split(","));
                    case "--workloads" -> workloads = List.of(value.split(","));
                    case "--models" -> models = List.of(value.split(","));
                    case "-p" -> params.add(value);
                    default -> throw new IllegalArgumentException("a claim's command may not use '" + words[i] + "': " + command);
                }
            }
            return new Run(suite, pythons, workloads, models, List.copyOf(params));
        }
    }

    private static volatile List<Claim> claims;

    private ClaimBook() {
    }

    public static List<Claim> claims() {
        List<Claim> c = claims;
        if (c == null) {
            c = load();
            claims = c;
        }
        return c;
    }

    private static List<Claim> load() {
        try (InputStream in = ClaimBook.class.getResourceAsStream("/dev/conlab/server/claims.json")) {
            if (in == null) throw new IllegalStateException("claims.json is missing from the class path");
            var list = new ArrayList<Claim>();
            for (JsonNode c : Json.MAPPER.readTree(in).get("claims")) {
                var conditions = new ArrayList<Condition>();
                for (JsonNode k : c.get("conditions")) {
                    conditions.add(new Condition(k.get("kind").asText(), k.get("workload").asText(), k.get("model").asText(),
                            text(k, "than") != null ? text(k, "than") : text(k, "as"), number(k, "min"), number(k, "max"),
                            number(k, "seconds"), number(k, "tolerance"), longs(k.get("params")), longs(k.get("modelParams")),
                            text(k, "faster")));
                }
                list.add(new Claim(c.get("id").asText(), c.get("article").asText(), c.get("claim").asText(), c.get("theirFigures").asText(),
                        c.get("check").asText(), c.get("command").asText(), c.get("runtime").asText(), List.copyOf(conditions)));
            }
            return List.copyOf(list);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read claims.json", e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static Double number(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asDouble() : null;
    }

    private static Map<String, Long> longs(JsonNode node) {
        var map = new LinkedHashMap<String, Long>();
        if (node != null) node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asLong()));
        return map;
    }
}
