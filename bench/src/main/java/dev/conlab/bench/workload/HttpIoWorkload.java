package dev.conlab.bench.workload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.conlab.bench.EventLoop;
import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Scaling;
import dev.conlab.bench.TaskLatencies;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * N blocking HTTP GETs to a loopback server that answers after d ms. The server, started for the cell on a
 * free port, holds no thread per waiting request: its handler schedules the answer on a timer and returns.
 * Threads call {@code HttpClient.send}; the event loop calls {@code sendAsync} with the loop as executor.
 */
public final class HttpIoWorkload implements Workload {

    static {
        // The JDK's HttpServer writes headers and body separately; with Nagle's algorithm on, the client's
        // delayed ACK holds the body back 40 ms per request on Linux. Its config is read once, at first use.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @Override
    public String id() {
        return "http-io";
    }

    @Override
    public String summary() {
        return "N HTTP GETs to a loopback server that answers after d ms (real sockets instead of sleep).";
    }

    @Override
    public int displayOrder() {
        return 20;
    }

    @Override
    public Scaling scaling(int processors) {
        return new Scaling(java.util.Map.of("latencyMs", "1000"), "tasks", "1..100000x10");
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.integer("tasks", "Number of requests N", 10, 100, 10, 1, 100_000).as(Param.Role.WORK),
                Param.integer("latencyMs", "Server delay before each answer, in ms", 4, 10, 1000, 0, 600_000));
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) throws IOException {
        int tasks = params.intValue("tasks");
        long latencyMs = params.longValue("latencyMs");
        if (env.child()) {
            return new Instance(tasks, latencyMs, null, null, Integer.parseInt(env.shared().get("port")));
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "http-io-server-timer");
            t.setDaemon(true);
            return t;
        });
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.createContext("/", exchange -> timer.schedule(() -> answer(exchange), latencyMs, TimeUnit.MILLISECONDS));
        server.setExecutor(null); // the dispatcher thread runs the handler, which only arms a timer
        server.start();
        return new Instance(tasks, latencyMs, server, timer, server.getAddress().getPort());
    }

    private static void answer(HttpExchange exchange) {
        try (exchange) {
            String query = exchange.getRequestURI().getQuery();
            byte[] body = (query == null ? "" : query.substring(query.indexOf('=') + 1)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    /** Runs HttpClient's callbacks on the current iteration's event loop. */
    private static final class LoopExecutor implements Executor {
        private final ExecutorService fallback = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-io-client-fallback");
            t.setDaemon(true);
            return t;
        });
        volatile EventLoop loop;

        @Override
        public void execute(Runnable command) {
            EventLoop current = loop;
            if (current != null) {
                try {
                    current.execute(command);
                    return;
                } catch (RejectedExecutionException closed) {
                    // the loop of a finished iteration: the client's housekeeping runs elsewhere
                }
            }
            fallback.execute(command);
        }
    }

    private static final class Instance implements WorkloadInstance {
        private final int tasks;
        private final long latencyMs;
        private final HttpServer server;
        private final ScheduledExecutorService timer;
        private final int port;
        private final HttpClient client;
        private final LoopExecutor loopExecutor = new LoopExecutor();
        private final TaskLatencies latencies = new TaskLatencies();
        private HttpClient loopClient;

        Instance(int tasks, long latencyMs, HttpServer server, ScheduledExecutorService timer, int port) {
            this.tasks = tasks;
            this.latencyMs = latencyMs;
            this.server = server;
            this.timer = timer;
            this.port = port;
            this.client = newClient().build();
        }

        private static HttpClient.Builder newClient() {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30));
        }

        private HttpRequest request(int i) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?i=" + i)).GET().build();
        }

        @Override
        public int taskCount() {
            return tasks;
        }

        @Override
        public Object runTask(int i) throws IOException, InterruptedException {
            HttpResponse<String> response = client.send(request(i), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) throw new IOException("HTTP " + response.statusCode() + " for task " + i);
            latencies.completed();
            return response.body();
        }

        @Override
        public TaskLatencies latencies() {
            return latencies;
        }

        @Override
        public boolean blocksOnFutures() {
            return true; // HttpClient.send waits on a CompletableFuture (FINDINGS §11)
        }

        @Override
        public boolean nonBlockingAsync() {
            return true;
        }

        @Override
        public CompletableFuture<Object> runTaskAsync(int i, EventLoop loop) {
            if (loopClient == null) loopClient = newClient().executor(loopExecutor).build();
            loopExecutor.loop = loop;
            return loopClient.sendAsync(request(i), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> {
                        latencies.completed();
                        return response.statusCode() == 200 ? response.body() : "HTTP " + response.statusCode();
                    });
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            WrongResultException.check(results.size() == tasks, "expected " + tasks + " responses");
            for (int i = 0; i < tasks; i++) {
                WrongResultException.check(String.valueOf(i).equals(results.get(i)),
                        "request " + i + " got '" + results.get(i) + "'");
            }
        }

        @Override
        public Map<String, String> sharedWithChildren() {
            return Map.of("port", Integer.toString(port));
        }

        @Override
        public long idealNanos(IdealContext context) {
            // k requests in flight at a time, each waiting latencyMs: a model that sends one at a time cannot beat N × d
            return Checks.ceilDiv(tasks, context.concurrency()) * Checks.millis(latencyMs);
        }

        @Override
        public String idealFormula() {
            return "ceil(tasks / k) × latencyMs (round trips not included)";
        }

        @Override
        public void close() {
            if (server != null) server.stop(0);
            if (timer != null) timer.shutdownNow();
            loopExecutor.fallback.shutdownNow();
        }
    }
}
