package dev.conlab.server.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.server.core.Problem;

import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks a result document before anything is stored: JSON syntax, the schema version, the JSON Schema
 * shipped in the bench jar, and what a schema cannot say (times that parse and run forwards). Every
 * problem comes with its JSON path, so the sender can fix all of them at once.
 */
public final class DocumentValidator {

    /** The parsed document when {@code problems} is empty. */
    public record Result(RunDocument document, List<Problem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private static final JsonSchema SCHEMA = loadSchema();
    /** One cell of a document (an agent sends its cells one by one): the schema's own {@code $defs/cell}. */
    private static final JsonSchema CELL_SCHEMA = loadCellSchema();

    /** The parsed cell when {@code problems} is empty. */
    public record CellCheck(dev.conlab.bench.CellResult cell, List<Problem> problems) {
    }
    /** Duplicate keys are refused: which of two values a reader takes differs between readers. */
    private static final com.fasterxml.jackson.databind.ObjectReader READER =
            Json.MAPPER.reader().with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private DocumentValidator() {
    }

    private static com.networknt.schema.SchemaValidatorsConfig config() {
        return com.networknt.schema.SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true).pathType(com.networknt.schema.PathType.JSON_PATH).build();
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = RunDocument.class.getResourceAsStream("/conlab.run-1.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config());
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the result document schema", e);
        }
    }

    private static JsonSchema loadCellSchema() {
        try (InputStream in = RunDocument.class.getResourceAsStream("/conlab.run-1.schema.json")) {
            var whole = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(in);
            var cell = Json.MAPPER.createObjectNode();
            cell.set("$schema", whole.get("$schema"));
            cell.set("$defs", whole.get("$defs"));
            cell.put("$ref", "#/$defs/cell");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(cell, config());
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the result document schema's cell", e);
        }
    }

    /** What {@code schema} finds wrong with {@code node}, each at its path under {@code base} ("$" for the whole). */
    private static void schemaProblems(JsonSchema schema, JsonNode node, String base, List<Problem> problems) {
        for (ValidationMessage m : schema.validate(node)) {
            String path = m.getInstanceLocation().toString();
            String message = m.getMessage();
            if (message.startsWith(path + ": ")) message = message.substring(path.length() + 2);
            problems.add(new Problem(base + path.substring(1), message));
        }
    }

    /** Checks one cell as the document's schema checks each of its results; paths start at {@code base}. */
    public static CellCheck validateCell(JsonNode node, String base) {
        var problems = new ArrayList<Problem>();
        if (node == null || !node.isObject()) return new CellCheck(null, List.of(new Problem(base, "must be a cell result: an object")));
        keysAndText(node, base, problems);
        if (!problems.isEmpty()) return new CellCheck(null, List.copyOf(problems));
        try {
            schemaProblems(CELL_SCHEMA, node, base, problems);
        } catch (RuntimeException e) {
            return new CellCheck(null, List.of(new Problem(base, "the cell could not be checked (" + e.getClass().getSimpleName() + ")")));
        }
        problems.sort(Comparator.comparing(Problem::path).thenComparing(Problem::message));
        if (!problems.isEmpty()) return new CellCheck(null, List.copyOf(problems));
        try {
            return new CellCheck(Json.MAPPER.treeToValue(node, dev.conlab.bench.CellResult.class), List.of());
        } catch (JsonProcessingException | RuntimeException e) {
            return new CellCheck(null, List.of(new Problem(base, "cannot read the cell: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()))));
        }
    }

    public static Result validate(String text) {
        if (text.isBlank()) return invalid("$", "the body is empty: send a result document (JSON) as the body");
        JsonNode node;
        try {
            node = READER.readTree(text);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            return invalid("$", "not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return invalid("$", "a result document is a JSON object" + (node != null && node.isArray()
                    ? " (a JMH result file is an array: send it with ?format=jmh&machine=ID, or conlab upload --jmh FILE)" : ""));
        }
        JsonNode schema = node.get("schema");
        if (schema == null || !schema.isTextual()) {
            return invalid("$.schema", "missing: a result document says \"schema\": \"" + RunDocument.SCHEMA + "\"");
        }
        if (!RunDocument.SCHEMA.equals(schema.asText())) {
            return invalid("$.schema", "unknown schema version '" + schema.asText() + "'; this lab reads " + RunDocument.SCHEMA);
        }
        var problems = new ArrayList<Problem>();
        // Before the schema: its validator cannot name a place under an empty key (it throws while building the path).
        keysAndText(node, "$", problems);
        if (!problems.isEmpty()) return new Result(null, List.copyOf(problems));
        try {
            schemaProblems(SCHEMA, node, "$", problems);
        } catch (RuntimeException e) {
            // A validator bug must not become a 500: the document is refused with what is known.
            return invalid("$", "the document could not be checked against the " + RunDocument.SCHEMA + " schema ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); compare it with a document that conlab run --out writes");
        }
        problems.sort(Comparator.comparing(Problem::path).thenComparing(Problem::message));
        if (!problems.isEmpty()) return new Result(null, List.copyOf(problems));
        Instant started = instant(node, "startedAt", problems);
        Instant finished = instant(node, "finishedAt", problems);
        if (started != null && finished != null && finished.isBefore(started)) {
            problems.add(new Problem("$.finishedAt", "is before startedAt"));
        }
        if (!problems.isEmpty()) return new Result(null, List.copyOf(problems));
        try {
            return new Result(Json.MAPPER.treeToValue(node, RunDocument.class), List.of());
        } catch (JsonProcessingException | RuntimeException e) {
            return invalid("$", "cannot read the document: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    /**
     * Keys and text the stores cannot keep as sent: empty keys (a parameter needs a name), U+0000 (PostgreSQL's text
     * refuses it) and UTF-16 surrogates that are not paired (not Unicode; a UTF-8 encoder replaces them with '?'), in
     * values and in keys.
     */
    private static void keysAndText(JsonNode node, String path, List<Problem> problems) {
        if (problems.size() >= 20) return;
        if (node.isTextual()) {
            String why = badText(node.textValue());
            if (why != null) problems.add(new Problem(path, why));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) keysAndText(node.get(i), path + "[" + i + "]", problems);
        } else if (node.isObject()) {
            for (var field : node.properties()) {
                if (field.getKey().isEmpty()) {
                    problems.add(new Problem(path, "has an empty key: every key needs a name"));
                    continue;
                }
                String why = badText(field.getKey());
                if (why != null) problems.add(new Problem(path, "a key " + why));
                keysAndText(field.getValue(), path + "." + field.getKey(), problems);
            }
        }
    }

    /**
     * Why a text cannot be stored as it is — U+0000, an unpaired surrogate — or null when it can (the agents' registration
     * checks a machine's names with it too).
     */
    public static String badText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) return "contains U+0000 (NUL), which cannot be stored: remove it";
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + "), which is not Unicode text";
            }
        }
        return null;
    }

    private static Instant instant(JsonNode node, String field, List<Problem> problems) {
        try {
            return Instant.parse(node.get(field).asText());
        } catch (DateTimeParseException e) {
            problems.add(new Problem("$." + field, "is not an ISO-8601 instant such as 2026-11-22T04:00:00Z"));
            return null;
        }
    }

    private static Result invalid(String path, String message) {
        return new Result(null, List.of(new Problem(path, message)));
    }
}
