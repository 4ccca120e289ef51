package dev.conlab.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conlab.bench.Json;
import dev.conlab.db.Scope;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A document from a machine with a task of its owner's that this server does not have (issue #27): stored (201), listed,
 * drawn, compared and exported with its answer like any other; nothing of the task's code is needed, or ever run, here.
 */
class TaskDocumentTest {

    /** The small test document with its sleep-io cells renamed to a task of someone else's, which states no kind. */
    static String unknownTask() throws Exception {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(dev.conlab.bench.TestDocuments.smallJson());
        doc.put("id", UUID.randomUUID().toString());
        for (var cell : doc.get("results")) {
            if (cell.get("workload").asText().equals("sleep-io")) ((ObjectNode) cell).put("workload", "order-lookup");
        }
        ArrayNode t1 = doc.putArray("oneThread");
        t1.addObject().put("workload", "order-lookup").<ObjectNode>set("params", doc.get("results").get(0).get("params").deepCopy())
                .put("nanos", 20_000_000L).put("forks", 1).put("samples", 3).put("method", "the sequential model's own code path")
                .put("cpuShare", 0.03);
        ObjectNode task = doc.putArray("tasks").addObject();
        task.put("workload", "order-lookup").put("summary", "Looks an order up in the shop's database.").put("language", "java")
                .put("entry", "com.example.OrderLookup").put("file", "shop-tasks.jar").put("sha256", "ab".repeat(32)).putNull("kind");
        task.putObject("params").put("tasks", 2);
        return doc.toString();
    }

    @OnEachDatabase
    void a_document_with_a_task_this_server_does_not_know_is_stored_listed_drawn_compared_and_answered(InProcessServer server)
            throws Exception {
        String upload = server.token("uploader", Scope.UPLOAD);
        var created = server.send("POST", "/api/runs", upload, unknownTask());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        long other = server.send("POST", "/api/runs", upload, unknownTask()).json().get("id").asLong();

        var stored = server.send("GET", "/api/runs/" + id + "/document", null, null);
        assertThat(stored.json().get("tasks").get(0).get("entry").asText()).isEqualTo("com.example.OrderLookup");
        var listed = server.send("GET", "/api/runs?workload=order-lookup", null, null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.text()).contains("\"id\":" + id);

        var page = server.send("GET", "/runs/" + id, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("order-lookup").contains("Your task waits 97 % of its time");

        var export = server.send("GET", "/api/runs/" + id + "/export?format=json", null, null);
        assertThat(export.status()).isEqualTo(200);
        var answer = export.json().get("answers").get(0);
        assertThat(answer.get("workload").asText()).isEqualTo("order-lookup");
        assertThat(answer.get("workKind").asText()).isEqualTo("waiting");
        assertThat(answer.get("cpuShare").asDouble()).isEqualTo(0.03);
        assertThat(answer.get("recommended").toString()).contains("threads");
        assertThat(answer.get("sentence").asText()).startsWith("Your task waits");

        var compared = server.send("GET", "/api/compare?runs=" + id + "," + other, null, null);
        assertThat(compared.status()).as(compared.text()).isEqualTo(200);
        assertThat(compared.text()).contains("order-lookup");
        assertThat(server.send("GET", "/compare?runs=" + id + "," + other, null, null).status()).isEqualTo(200);
    }
}
