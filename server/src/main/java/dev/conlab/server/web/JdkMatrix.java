package dev.conlab.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.db.RunStore;
import dev.conlab.server.Services;
import dev.conlab.web.Views;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JDK matrix of one machine: workload × model, each cell the newer JDK's median ÷ the older one's,
 * from the newest done run of one suite on each, so "what changed between JDKs" shows at once.
 */
final class JdkMatrix {

    private JdkMatrix() {
    }

    static Views.JdkMatrixPage build(Services services, List<Views.MachineLine> machines, Long machineId, Integer from, Integer to,
                                     String suite) {
        if (machines.isEmpty()) {
            return new Views.JdkMatrixPage(machines, 0, suite, List.of(), 0, 0, List.of(), List.of(), "No machines yet: runs bring them.");
        }
        long machine = machineId != null ? machineId : machines.stream()
                .max((a, b) -> Integer.compare(a.jdks().split(",").length * 1000 + a.runs(), b.jdks().split(",").length * 1000 + b.runs()))
                .orElseThrow().id();
        List<RunStore.RunRow> done = services.runs().list(new RunStore.Filter(machine, null, suite, null, null, null, null), 0, 500)
                .runs().stream().filter(r -> r.status().equals("done")).toList();
        List<Integer> features = done.stream().map(RunStore.RunRow::jdkFeature).distinct().sorted().toList();
        if (features.size() < 2) {
            return new Views.JdkMatrixPage(machines, machine, suite, features, 0, 0, List.of(), List.of(),
                    "This machine has done " + (suite == null ? "" : suite + " ") + "runs on "
                            + (features.isEmpty() ? "no JDK" : "JDK " + features.get(0) + " only")
                            + ": queue a run on two JDKs to compare them.");
        }
        int older = from != null && features.contains(from) ? from : features.get(0);
        int newer = to != null && features.contains(to) ? to : features.get(features.size() - 1);
        // the newest run on the newer JDK, and the newest of the same suite on the older one
        Optional<RunStore.RunRow> newRun = done.stream().filter(r -> r.jdkFeature() == newer).findFirst();
        Optional<RunStore.RunRow> oldRun = newRun.flatMap(n -> done.stream()
                .filter(r -> r.jdkFeature() == older && r.suite().equals(n.suite())).findFirst());
        if (newRun.isEmpty() || oldRun.isEmpty() || older == newer) {
            return new Views.JdkMatrixPage(machines, machine, suite, features, older, newer, List.of(), List.of(),
                    "No pair of done runs of one suite on JDK " + older + " and JDK " + newer + " on this machine.");
        }
        Map<String, Double> before = medians(document(services, oldRun.get().id()));
        Map<String, Double> after = medians(document(services, newRun.get().id()));
        var workloads = new LinkedHashSet<String>();
        var models = new LinkedHashSet<String>();
        for (String key : after.keySet()) {
            workloads.add(key.substring(0, key.indexOf('|')));
            models.add(key.substring(key.indexOf('|') + 1));
        }
        var rows = new ArrayList<Views.MatrixRow>();
        for (String w : workloads) {
            var cells = new ArrayList<Views.MatrixCell>();
            for (String m : models) {
                Double a = before.get(w + "|" + m);
                Double b = after.get(w + "|" + m);
                if (a == null || b == null || a <= 0) {
                    cells.add(new Views.MatrixCell("—", "none", "not measured on both"));
                    continue;
                }
                double ratio = b / a;
                String css = ratio >= 2 ? "much-slower" : ratio > 1.05 ? "slower" : ratio <= 0.5 ? "much-faster" : ratio < 0.95 ? "faster" : "same";
                cells.add(new Views.MatrixCell(String.format(Locale.ROOT, "%.2f", ratio), css,
                        "JDK " + newer + " " + Fmt.duration(b) + " ÷ JDK " + older + " " + Fmt.duration(a)));
            }
            rows.add(new Views.MatrixRow(w, cells));
        }
        String note = "Run #" + newRun.get().id() + " (JDK " + newRun.get().jdkVersion() + ") against run #" + oldRun.get().id()
                + " (JDK " + oldRun.get().jdkVersion() + "), " + newRun.get().suite() + " suite.";
        return new Views.JdkMatrixPage(machines, machine, suite, features, older, newer, new ArrayList<>(models), rows, note);
    }

    private static RunDocument document(Services services, long runId) {
        try {
            return Json.MAPPER.readValue(services.runs().documentJson(runId).orElseThrow(), RunDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + runId + " holds a document this version cannot read", e);
        }
    }

    /** workload|model → median wall nanos, for cells with samples. */
    private static Map<String, Double> medians(RunDocument doc) {
        var map = new LinkedHashMap<String, Double>();
        for (CellSummary s : CellSummary.of(doc)) {
            if (s.wall() != null) map.put(s.workload() + "|" + s.model(), s.wall().median());
        }
        return map;
    }
}
