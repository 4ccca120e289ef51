package dev.conlab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class ResultSchemaTest {

    @Test
    void a_document_the_harness_makes_is_valid() {
        RunDocument doc = TestDocuments.small();
        assertThat(doc.results()).extracting(CellResult::status).containsExactly(CellStatus.OK, CellStatus.OK, CellStatus.UNSUPPORTED, CellStatus.OK);
        assertThat(SchemaCheck.problems(doc)).isEmpty();
    }

    @Test
    void the_schema_refuses_what_the_lab_must_never_store() {
        RunDocument doc = TestDocuments.small();
        ObjectNode json = Json.MAPPER.valueToTree(doc);
        ObjectNode okCell = (ObjectNode) json.get("results").get(0);
        okCell.putArray("samples");
        assertThat(SchemaCheck.problems(json)).as("an ok cell without samples").isNotEmpty();

        json = Json.MAPPER.valueToTree(doc);
        json.put("schema", "conlab.run/2");
        assertThat(SchemaCheck.problems(json)).contains("schema");

        json = Json.MAPPER.valueToTree(doc);
        ((ObjectNode) json.get("results").get(0).get("samples").get(0)).put("wallNanos", -5);
        assertThat(SchemaCheck.problems(json)).contains("wallNanos");

        json = Json.MAPPER.valueToTree(doc);
        ((ObjectNode) json.get("results").get(2)).putNull("error");
        assertThat(SchemaCheck.problems(json)).as("an unsupported cell must say why").isNotEmpty();

        json = Json.MAPPER.valueToTree(doc);
        json.putArray("results");
        assertThat(SchemaCheck.problems(json)).contains("results");
    }
}
