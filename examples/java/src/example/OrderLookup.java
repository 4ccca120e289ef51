package example;

import com.sun.net.httpserver.HttpServer;
import dev.conlab.api.Task;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Work that waits: each unit makes a real blocking HTTP call, as a request handler asking another service for an order
 * would. {@link #setup} starts that service in the worker JVM — the JDK's own HTTP server, answering each request after
 * {@code delayMs} — so that the example needs nothing but a JDK.
 */
public final class OrderLookup implements Task {

    private HttpServer server;
    private ExecutorService handlers;
    private String base;

    @Override
    public String summary() {
        return "A blocking HTTP GET of one order from a local service that answers after delayMs.";
    }

    @Override
    public Map<String, Long> parameters() {
        return Map.of(TASKS, 200L, "delayMs", 50L);
    }

    @Override
    public void setup(Map<String, Long> parameters) throws Exception {
        long delay = parameters.get("delayMs");
        handlers = Executors.newCachedThreadPool(); // one thread per waiting request: the service is not what is measured
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
        server.setExecutor(handlers);
        server.createContext("/orders/", exchange -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String id = exchange.getRequestURI().getPath().substring("/orders/".length());
            byte[] body = ("{\"order\":" + id + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/orders/";
    }

    @Override
    public Object run(int index) throws Exception {
        var connection = (HttpURLConnection) URI.create(base + index).toURL().openConnection();
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(30_000);
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void check(List<Object> results) {
        for (int i = 0; i < results.size(); i++) {
            if (!("{\"order\":" + i + "}").equals(results.get(i))) {
                throw new IllegalStateException("unit " + i + " got " + results.get(i));
            }
        }
    }

    @Override
    public void close() {
        if (server != null) server.stop(0);
        if (handlers != null) handlers.shutdownNow();
    }
}
