package dev.conlab.server.compare;

import dev.conlab.bench.Suite;
import dev.conlab.bench.Vocabulary;
import dev.conlab.db.RunStore;
import dev.conlab.server.runs.RunService;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python matrix of one machine, as the {@link JdkMatrix} is for JDKs: workload × model, each cell one interpreter's
 * time ÷ another's ("CPython 3.12.1" ÷ "CPython 3.11.2", or "PyPy 3.9.16" ÷ "CPython 3.11.2"), from the newest done run
 * of one suite on each, judged by {@link JdkMatrix.Grid} as the JDK matrix and every comparison are.
 *
 * @param runtimes the interpreters of the machine's done Python runs ("CPython 3.11.2"), CPython first, by version
 * @param from     the interpreter divided by (the older or the reference)
 * @param to       the interpreter divided
 * @param newerRun null when there is no pair to compare; {@code note} says why
 */
public record PythonMatrix(long machineId, String suite, List<String> runtimes, String from, String to, List<String> models,
                           List<JdkMatrix.Row> rows, RunStore.RunRow newerRun, RunStore.RunRow olderRun, String note) {

    /** How far back the page looks for a machine's Python runs: its latest finished runs, one index range. */
    static final int LOOK_BACK = 500;

    /**
     * @param from  the reference interpreter's label (null: the first — the oldest CPython)
     * @param to    the interpreter compared with it (null: the last — the newest CPython, or PyPy when there is one)
     * @param suite only runs of this suite (null: the newest run's, never the scaling suite's sweeps)
     */
    public static PythonMatrix of(RunService runs, long machineId, String from, String to, String suite) {
        // the newest done Python run per interpreter, among the machine's latest runs; with no suite named, the newest
        // run decides the suite and the others must share it
        Map<String, List<RunStore.RunRow>> byRuntime = new LinkedHashMap<>();
        for (RunStore.RunRow r : runs.finishedRuns(machineId, LOOK_BACK)) {
            if (!Vocabulary.PYTHON.equals(r.runtime())) continue;
            if (suite != null ? !suite.equals(r.suite()) : Suite.SCALING.id().equals(r.suite())) continue;
            byRuntime.computeIfAbsent(r.runtimeLabel(), k -> new ArrayList<>()).add(r);
        }
        List<String> labels = byRuntime.keySet().stream().sorted(ORDER).toList();
        if (labels.size() < 2) {
            return empty(machineId, suite, labels, null, null, "This machine has done " + (suite == null ? "" : suite + " ")
                    + "Python runs on " + (labels.isEmpty() ? "no interpreter" : labels.get(0) + " only")
                    + ": queue a run on two interpreters (the run form's Python choices) to compare them.");
        }
        String older = from != null && labels.contains(from) ? from : labels.get(0);
        String newer = to != null && labels.contains(to) ? to : labels.get(labels.size() - 1);
        if (older.equals(newer)) {
            return empty(machineId, suite, labels, older, newer, "Choose two different interpreters.");
        }
        RunStore.RunRow newRun = byRuntime.get(newer).get(0);
        RunStore.RunRow oldRun = byRuntime.get(older).stream().filter(r -> r.suite().equals(newRun.suite())).findFirst().orElse(null);
        if (oldRun == null) {
            return empty(machineId, suite, labels, older, newer, "No pair of done runs of one suite on " + older + " and " + newer
                    + " on this machine (" + newer + "'s newest is a " + newRun.suite() + " run): choose a suite.");
        }
        JdkMatrix.Grid grid = JdkMatrix.Grid.of(runs.document(oldRun), runs.document(newRun));
        String note = "Run #" + newRun.id() + " (" + newer + ") against run #" + oldRun.id() + " (" + older + "), " + newRun.suite()
                + " suite. Faster or slower: Welch's t-test on log times at the 5 % level; otherwise no significant difference. "
                + "Interpreters are told apart by implementation and version, from the machine's latest " + LOOK_BACK + " runs.";
        return new PythonMatrix(machineId, suite, labels, older, newer, grid.models(), grid.rows(), newRun, oldRun, note);
    }

    /** CPython before PyPy (and any other), then by version, numerically: 3.9 before 3.10. */
    static final Comparator<String> ORDER = Comparator.comparing((String l) -> l.startsWith("CPython ") ? 0 : 1)
            .thenComparing(l -> l.substring(0, l.indexOf(' ') < 0 ? 0 : l.indexOf(' ')))
            .thenComparing(PythonMatrix::versionKey);

    private static String versionKey(String label) {
        String version = label.substring(label.indexOf(' ') + 1);
        var key = new StringBuilder();
        for (String part : version.split("[^0-9]+")) {
            if (!part.isEmpty()) key.append(String.format("%06d.", Long.parseLong(part.length() > 6 ? part.substring(0, 6) : part)));
        }
        return key.toString();
    }

    private static PythonMatrix empty(long machineId, String suite, List<String> labels, String from, String to, String note) {
        return new PythonMatrix(machineId, suite, labels, from, to, List.of(), List.of(), null, null, note);
    }
}
