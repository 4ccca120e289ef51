package example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conlab.api.Task;

import java.util.List;
import java.util.Map;

/**
 * Work that computes: each unit parses a JSON document of {@code orders} orders with Jackson and adds up their totals, as a
 * service reading a large response would. The document is built once in {@link #setup}; only the parsing is timed.
 * (Jackson is on the lab's worker class path already; a task jar that needs another version must shade its copy.)
 */
public final class ParseOrders implements Task {

    private static final ObjectMapper JSON = new ObjectMapper();

    private byte[] document;
    private long expected;

    @Override
    public String summary() {
        return "Parses a JSON array of orders with Jackson and sums their totals.";
    }

    @Override
    public Map<String, Long> parameters() {
        return Map.of(TASKS, 40L, "orders", 20_000L);
    }

    @Override
    public void setup(Map<String, Long> parameters) {
        var text = new StringBuilder("[");
        long orders = parameters.get("orders");
        for (long i = 0; i < orders; i++) {
            if (i > 0) text.append(',');
            text.append("{\"id\":").append(i).append(",\"customer\":\"c-").append(i % 977).append("\",\"total\":").append(i % 1000)
                    .append(",\"lines\":[{\"sku\":\"s-").append(i % 31).append("\",\"qty\":").append(1 + i % 3).append("}]}");
            expected += i % 1000;
        }
        document = text.append(']').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public Object run(int index) throws Exception {
        long sum = 0;
        for (JsonNode order : JSON.readTree(document)) sum += order.get("total").asLong();
        return sum;
    }

    @Override
    public void check(List<Object> results) {
        for (Object r : results) {
            if (!Long.valueOf(expected).equals(r)) throw new IllegalStateException("a unit summed " + r + ", not " + expected);
        }
    }
}
