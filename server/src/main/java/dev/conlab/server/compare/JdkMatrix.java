package dev.conlab.server.compare;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.bench.stats.RatioTest;
import dev.conlab.db.RunStore;
import dev.conlab.server.runs.RunService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JDK matrix of one machine: workload × model, each cell the newer JDK's time ÷ the older one's, from the
 * newest done run of one suite on each, judged as every comparison is — the ratio of geometric means with its 95 %
 * confidence interval and Welch's t-test at the 5 % level ({@link RatioTest}) — so "what changed between JDKs"
 * shows at once and noise is not called a change.
 *
 * @param features the JDK feature versions of the machine's done runs
 * @param newerRun null when there is no pair to compare; {@code note} says why
 */
public record JdkMatrix(long machineId, String suite, List<Integer> features, int from, int to, List<String> models,
                        List<Row> rows, RunStore.RunRow newerRun, RunStore.RunRow olderRun, String note) {

    /** One cell: null ratio where one of the runs has no samples for it. */
    public record Cell(String model, Double ratio, Double ratioLow, Double ratioHigh, String verdict, Double olderMedianNanos,
                       Double newerMedianNanos) {
    }

    public record Row(String workload, List<Cell> cells) {
    }

    /**
     * @param machineId the machine
     * @param from      the older JDK feature (null: the oldest with a done run)
     * @param to        the newer one (null: the newest)
     * @param suite     only runs of this suite (null: the newest run's)
     */
    public static JdkMatrix of(RunService runs, long machineId, Integer from, Integer to, String suite) {
        // one figure per workload × model: the scaling suite's sweeps have many, and are compared point by point on /compare.
        // Its newest done run on each JDK: an index range of its latest runs, however many it has.
        var newest = runs.newestDonePerJdk(machineId, suite, suite == null ? dev.conlab.bench.Suite.SCALING.id() : null);
        List<Integer> features = List.copyOf(newest.keySet());
        if (features.size() < 2) {
            return empty(machineId, suite, features, 0, 0, "This machine has done " + (suite == null ? "" : suite + " ") + "runs on "
                    + (features.isEmpty() ? "no JDK" : "JDK " + features.get(0) + " only") + ": queue a run on two JDKs to compare them.");
        }
        int older = from != null && features.contains(from) ? from : features.get(0);
        int newer = to != null && features.contains(to) ? to : features.get(features.size() - 1);
        // the newest run on the newer JDK, and the newest of the same suite on the older one
        Optional<RunStore.RunRow> newRun = Optional.ofNullable(newest.get(newer));
        Optional<RunStore.RunRow> oldRun = newRun.flatMap(n -> newest.get(older) != null && newest.get(older).suite().equals(n.suite())
                ? Optional.of(newest.get(older)) : runs.newestDone(machineId, older, n.suite(), null));
        if (newRun.isEmpty() || oldRun.isEmpty() || older == newer) {
            return empty(machineId, suite, features, older, newer,
                    "No pair of done runs of one suite on JDK " + older + " and JDK " + newer + " on this machine.");
        }
        Grid grid = Grid.of(runs.document(oldRun.get()), runs.document(newRun.get()));
        String note = "Run #" + newRun.get().id() + " (JDK " + newRun.get().jdkVersion() + ") against run #" + oldRun.get().id()
                + " (JDK " + oldRun.get().jdkVersion() + "), " + newRun.get().suite() + " suite. Faster or slower: Welch's t-test on "
                + "log times at the 5 % level; otherwise no significant difference.";
        return new JdkMatrix(machineId, suite, features, older, newer, grid.models(), grid.rows(), newRun.get(), oldRun.get(), note);
    }

    private static JdkMatrix empty(long machineId, String suite, List<Integer> features, int from, int to, String note) {
        return new JdkMatrix(machineId, suite, features, from, to, List.of(), List.of(), null, null, note);
    }

    /**
     * Workload × model of two runs' documents, each cell the newer's time ÷ the older's with its interval and verdict
     * ({@link RatioTest}); the rows and models are the newer run's. Shared by the JDK and the Python matrices.
     */
    public record Grid(List<String> models, List<Row> rows) {

        public static Grid of(RunDocument older, RunDocument newer) {
            Map<String, CellResult> before = cells(older);
            Map<String, CellResult> after = cells(newer);
            var workloads = new LinkedHashSet<String>();
            var models = new LinkedHashSet<String>();
            for (CellResult c : after.values()) {
                workloads.add(c.workload());
                models.add(c.model());
            }
            var rows = new ArrayList<Row>();
            for (String w : workloads) {
                var cells = new ArrayList<Cell>();
                for (String m : models) {
                    double[] a = times(before.get(w + "|" + m));
                    double[] b = times(after.get(w + "|" + m));
                    if (a.length == 0 || b.length == 0) {
                        cells.add(new Cell(m, null, null, null, null, null, null));
                        continue;
                    }
                    RatioTest r = RatioTest.of(a, b);
                    cells.add(new Cell(m, r.ratio(), r.ciLow(), r.ciHigh(), r.verdict(),
                            CellSummary.wall(before.get(w + "|" + m)).median(), CellSummary.wall(after.get(w + "|" + m)).median()));
                }
                rows.add(new Row(w, cells));
            }
            return new Grid(List.copyOf(models), rows);
        }

        /** workload|model → cell */
        private static Map<String, CellResult> cells(RunDocument doc) {
            var map = new LinkedHashMap<String, CellResult>();
            // a run swept by hand: its first point of each workload × model (the same parameters in both runs, when both swept alike)
            for (CellResult c : doc.results()) map.putIfAbsent(c.workload() + "|" + c.model(), c);
            return map;
        }

        private static double[] times(CellResult cell) {
            return cell == null ? new double[0] : RatioTest.observations(cell.cleanSamples());
        }
    }
}
