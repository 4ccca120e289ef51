package dev.conlab.bench.perf;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.bench.stats.StepDetector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The false-alarm rate of {@link StepDetector} on this machine's own repeated runs (issue #18): the medians of each cell
 * in N identical runs (bench/perf/falsealarm.sh measures them) are nights drawn at random, with replacement, into
 * 10,000 series of 60 nights; a series with any step found is a false alarm, since nothing changed. Also the same with
 * a 15 % step at night 40 (each drawn median × 1.15 from there): how often the step is found, and where.
 * Usage: FalseAlarms DIR_OF_DOCUMENTS [series, default 10000]
 */
public final class FalseAlarms {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int series = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Map<String, List<Double>> medians = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                RunDocument doc = Json.MAPPER.readValue(f.toFile(), RunDocument.class);
                for (CellResult cell : doc.results()) {
                    if (cell.status() != CellStatus.OK) continue;
                    medians.computeIfAbsent(cell.workload() + " × " + cell.model(), k -> new ArrayList<>()).add(CellSummary.wall(cell).median());
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-34s %5s %9s %12s %14s %14s%n", "cell", "runs", "CV", "false alarms", "step found", "at night 40");
        var random = new SplittableRandom(18);
        for (var e : medians.entrySet()) {
            double[] nights = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            double mean = 0, sq = 0;
            for (double v : nights) mean += v / nights.length;
            for (double v : nights) sq += (v - mean) * (v - mean);
            double cv = Math.sqrt(sq / (nights.length - 1)) / mean;
            int alarms = 0, found = 0, exact = 0;
            for (int s = 0; s < series; s++) {
                double[] flat = new double[60];
                double[] step = new double[60];
                for (int i = 0; i < 60; i++) {
                    flat[i] = nights[random.nextInt(nights.length)];
                    step[i] = nights[random.nextInt(nights.length)] * (i >= 40 ? 1.15 : 1.0);
                }
                if (!StepDetector.detect(flat).isEmpty()) alarms++;
                var steps = StepDetector.detect(step);
                if (steps.stream().anyMatch(x -> Math.abs(x.index() - 40) <= 1)) found++;
                if (steps.size() == 1 && steps.get(0).index() == 40) exact++;
            }
            System.out.printf(Locale.ROOT, "%-34s %5d %8.2f%% %11.2f%% %13.1f%% %13.1f%%%n", e.getKey(), nights.length, cv * 100,
                    100.0 * alarms / series, 100.0 * found / series, 100.0 * exact / series);
        }
    }
}
