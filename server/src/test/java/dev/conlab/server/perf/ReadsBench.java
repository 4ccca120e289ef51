package dev.conlab.server.perf;

import dev.conlab.bench.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Single-client latency of the pages a team reads most, against a running `conlab serve` (server/perf/reads100k.sh
 * starts one on a database of 100,000 runs): each page 20 times to warm up, then N times in a row, one request at a
 * time, p50/p95/p99 of the whole request over loopback (the server's time plus a loopback round trip). "Run pages,
 * each once" and "compare of 4, each once" read a different run or set of runs every time — what a page cache cannot
 * help with. Usage: ReadsBench BASE_URL [N, default 200]
 */
public final class ReadsBench {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        HttpClient http = HttpClient.newHttpClient();
        var runs = Json.MAPPER.readTree(get(http, base + "/api/runs?limit=1")).get("runs");
        long newest = runs.get(0).get("id").asLong();
        long machine = runs.get(0).get("machineId").asLong();
        System.out.printf(Locale.ROOT, "%s: %s runs stored; newest run %d on machine %d%n", base,
                Json.MAPPER.readTree(get(http, base + "/api/health")).get("runs").asText(), newest, machine);
        report(http, "overview /", i -> base + "/", n);
        report(http, "/runs", i -> base + "/runs", n);
        report(http, "/runs?offset=5000 (page 101)", i -> base + "/runs?offset=5000", n);
        report(http, "run page, the same", i -> base + "/runs/" + newest, n);
        report(http, "run pages, each once", i -> base + "/runs/" + (newest - 1000 - i * 37L), n);
        report(http, "/compare of 4 runs, the same", i -> base + "/compare?runs=" + (newest - 3) + "," + (newest - 2) + "," + (newest - 1) + "," + newest, n);
        report(http, "/compare of 4 runs, each once", i -> {
            long a = newest - 2000 - i * 41L;
            return base + "/compare?runs=" + a + "," + (a - 274) + "," + (a - 548) + "," + (a - 822);
        }, n);
        report(http, "history page (365 nights × 2 JDKs)", i -> base + "/machines/" + machine + "/history?workload=cpu-sum&model=threads", n);
        report(http, "history pages, each machine once", i -> base + "/machines/" + (1 + (i % machine)) + "/history?workload="
                + (i / machine % 2 == 0 ? "sleep-io" : "contended-counter") + "&model=fixed-pool", Math.min(n, (int) (2 * machine - 20)));
        report(http, "/jdks", i -> base + "/jdks", n);
        report(http, "/machines", i -> base + "/machines", n);
        report(http, "/machines/{id}", i -> base + "/machines/" + machine, n);
        report(http, "/api/alerts (feed)", i -> base + "/api/alerts", Math.max(20, n / 10));
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + ": HTTP " + r.statusCode() + " " + r.body());
        return r.body();
    }

    private static void report(HttpClient http, String name, IntFunction<String> url, int n) throws Exception {
        for (int i = 0; i < 20; i++) get(http, url.apply(n + i)); // warm-up: other URLs than the measured ones where they differ
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            get(http, url.apply(i));
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "  %-40s n %4d  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n", name, n,
                ApiBench.pct(t, 50), ApiBench.pct(t, 95), ApiBench.pct(t, 99), t[n - 1] / 1e6);
    }
}
