package dev.conlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.InputStream;
import java.util.Set;
import java.util.stream.Collectors;

/** Validates documents against the JSON Schema shipped in the bench jar. */
public final class SchemaCheck {

    private static final JsonSchema SCHEMA = load();

    private SchemaCheck() {
    }

    private static JsonSchema load() {
        try (InputStream in = RunDocument.class.getResourceAsStream("/conlab.run-1.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The problems of a document, empty when it is valid. */
    public static String problems(JsonNode document) {
        Set<ValidationMessage> messages = SCHEMA.validate(document);
        return messages.stream().map(ValidationMessage::toString).sorted().collect(Collectors.joining("\n"));
    }

    public static String problems(RunDocument document) {
        return problems(Json.MAPPER.valueToTree(document));
    }
}
