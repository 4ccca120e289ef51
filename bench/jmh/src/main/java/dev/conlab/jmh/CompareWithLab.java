package dev.conlab.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.bench.stats.Stats;
import dev.conlab.bench.stats.Summary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the lab's figures beside JMH's for the same kernels: per workload × model the lab's median with its 95 %
 * interval (from the fork means), JMH's median of its raw samples and its score ± error (99.9 %), and the ratio of the
 * medians. Usage: {@code CompareWithLab JMH-RESULT.json LAB-DOCUMENT.json}.
 */
public final class CompareWithLab {

    public static void main(String[] args) throws Exception {
        JsonNode jmh = Json.MAPPER.readTree(Files.readString(Path.of(args[0])));
        RunDocument lab = Json.MAPPER.readValue(Files.readString(Path.of(args[1])), RunDocument.class);
        List<CellSummary> summaries = CellSummary.of(lab);
        System.out.printf(Locale.ROOT, "%-12s %-16s %22s %24s %22s %8s%n", "workload", "model", "lab median ± 95% CI",
                "JMH median of raw data", "JMH score ± error", "lab÷JMH");
        var ratios = new ArrayList<Double>();
        for (JsonNode b : jmh) {
            String workload = b.path("params").path("workload").asText();
            String model = b.path("params").path("model").asText();
            int i = indexOf(lab, workload, model);
            if (i < 0) continue;
            Summary s = summaries.get(i).wall();
            if (s == null) continue;
            var raw = new ArrayList<Double>();
            b.path("primaryMetric").path("rawData").forEach(fork -> fork.forEach(v -> raw.add(v.asDouble())));
            double jmhMedianMs = Stats.summarize(raw.stream().mapToDouble(Double::doubleValue).toArray()).median();
            double labMs = s.median() / 1e6;
            double ratio = labMs / jmhMedianMs;
            ratios.add(ratio);
            System.out.printf(Locale.ROOT, "%-12s %-16s %12.1f ± %6.1f ms %17.1f ms %12.1f ± %6.1f ms %8.3f%n", workload, model, labMs,
                    s.ciHalfWidth() == null ? Double.NaN : s.ciHalfWidth() / 1e6, jmhMedianMs,
                    b.path("primaryMetric").path("score").asDouble(), b.path("primaryMetric").path("scoreError").asDouble(), ratio);
        }
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        if (r.length > 0) {
            Summary all = Stats.summarize(r);
            System.out.printf(Locale.ROOT, "lab÷JMH over %d kernels × models: median %.3f, from %.3f to %.3f; within 5 %%: %d of %d%n",
                    r.length, all.median(), all.min(), all.max(),
                    (int) ratios.stream().filter(x -> Math.abs(x - 1) <= 0.05).count(), r.length);
        }
    }

    private static int indexOf(RunDocument lab, String workload, String model) {
        for (int i = 0; i < lab.results().size(); i++) {
            CellResult c = lab.results().get(i);
            if (c.workload().equals(workload) && c.model().equals(model)) return i;
        }
        return -1;
    }
}
