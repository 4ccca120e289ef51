package dev.conlab.bench.stats;

import dev.conlab.api.Task;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.OneThread;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.TaskInfo;
import dev.conlab.bench.TaskWorkload;
import dev.conlab.bench.Vocabulary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer a run gives per workload and point (one set of its parameters): what kind of work it is, which models finish it
 * fastest — those whose interval overlaps the fastest's — and one sentence with the evidence, e.g. "Your task waits 97 % of its
 * time: virtual-threads and threads finish 1,000 tasks in 1.01 s (ideal 1.00 s); fixed-pool (2 at a time) needs 500 s — size
 * pools by tasks, not by cores." The run page says it first, the CLI's summary too, and the run export's JSON holds it.
 *
 * @param workload    the workload's id
 * @param params      the point's parameters
 * @param workKind    {@code waiting}, {@code cpu} or {@code mixed}: the kind the task states, else what T₁'s CPU share says,
 *                    else the catalog's CPU-bound flag; null when none of them is known
 * @param cpuShare    T₁'s CPU time ÷ wall time, or null where it was not measured
 * @param recommended the models whose 95 % interval overlaps the fastest's, fastest first
 * @param sentence    the answer in words
 */
public record WorkAnswers(String workload, Map<String, Object> params, String workKind, Double cpuShare, List<String> recommended,
                          String sentence) {

    /** A slower model is named in the sentence when it needs at least this many times the fastest's time. */
    static final double NAMED_SLOWER = 1.5;

    /** Above this half-width (a share of the median) the fastest's interval is said to be wide. */
    static final double WIDE = 0.10;

    /** One answer per workload and point of the run that has a measured cell, in the document's order. */
    public static List<WorkAnswers> of(RunDocument doc) {
        return of(doc, CellSummary.of(doc));
    }

    /** The same from the document's cell summaries, where the caller has them already ({@code CellSummary.of(doc)}). */
    public static List<WorkAnswers> of(RunDocument doc, List<CellSummary> summaries) {
        Map<String, List<Integer>> points = new LinkedHashMap<>();
        for (int i = 0; i < doc.results().size(); i++) {
            CellResult cell = doc.results().get(i);
            if (cell.jmh() != null) continue;
            points.computeIfAbsent(cell.workload() + " " + new java.util.TreeMap<>(cell.params() == null ? Map.of() : cell.params()), k -> new ArrayList<>()).add(i);
        }
        var answers = new ArrayList<WorkAnswers>();
        for (List<Integer> cells : points.values()) {
            var measured = cells.stream().filter(i -> summaries.get(i).wall() != null)
                    .sorted((a, b) -> Double.compare(summaries.get(a).wall().median(), summaries.get(b).wall().median())).toList();
            if (measured.isEmpty()) continue;
            answers.add(answer(doc, summaries, measured));
        }
        return answers;
    }

    private static WorkAnswers answer(RunDocument doc, List<CellSummary> summaries, List<Integer> measured) {
        CellResult first = doc.results().get(measured.get(0));
        Summary fast = summaries.get(measured.get(0)).wall();
        double fastHigh = fast.ciHigh() == null ? fast.median() : fast.ciHigh();
        var recommended = new ArrayList<String>();
        for (int i : measured) {
            Summary s = summaries.get(i).wall();
            double low = s.ciLow() == null ? s.median() : s.ciLow();
            if (low <= fastHigh) recommended.add(doc.results().get(i).model());
        }
        TaskInfo task = doc.task(first.workload());
        Double share = doc.oneThreadOf(first.workload(), first.params()).map(OneThread::cpuShare).orElse(null);
        String kind = task != null && task.kind() != null ? task.kind()
                : share != null ? Vocabulary.kindId(TaskWorkload.kindOf(share))
                : task == null && Vocabulary.isCpuBound(first.workload()) ? Vocabulary.kindId(Task.Kind.CPU) : null;
        Integer processors = doc.jvm() != null ? doc.jvm().availableProcessors()
                : doc.python() != null ? doc.python().availableProcessors() : null;

        var text = new StringBuilder();
        if (kind != null) {
            // what it is, when that is known: said first; without it the sentence starts with the models
            text.append(task != null ? "Your task" : "This workload").append(switch (kind) {
                case "waiting" -> share == null ? " waits" : " waits " + percent(1 - share) + " of its time";
                case "cpu" -> share == null ? " computes" : " computes " + percent(share) + " of its time";
                default -> share == null ? " both computes and waits" : " computes " + percent(share) + " of its time and waits the rest";
            }).append(": ");
        }
        text.append(join(recommended)).append(recommended.size() == 1 ? " finishes " : " finish ");
        Object units = first.params().get(Task.TASKS);
        text.append(units instanceof Number n ? String.format(Locale.ROOT, "%,d tasks", n.longValue()) : "an iteration")
                .append(" in ").append(duration(fast.median()));
        Long ideal = summaries.get(measured.get(0)).idealNanos();
        if (ideal != null && ideal > 0) text.append(" (ideal ").append(duration(ideal)).append(')');
        Double half = fast.ciHalfWidth();
        if (recommended.size() > 1 && half != null && half > WIDE * fast.median()) {
            text.append(String.format(Locale.ROOT, ", within the fastest's interval of ±%.0f %% (more forks would tell them apart)",
                    100 * half / fast.median()));
        }
        int last = measured.get(measured.size() - 1);
        Summary slow = summaries.get(last).wall();
        if (!recommended.contains(doc.results().get(last).model()) && slow.median() >= NAMED_SLOWER * fast.median()) {
            CellResult slowCell = doc.results().get(last);
            text.append("; ").append(slowCell.model());
            if (slowCell.concurrency() != null && slowCell.concurrency() > 0) {
                text.append(" (").append(slowCell.concurrency()).append(" at a time)");
            }
            text.append(" needs ").append(duration(slow.median()));
        }
        boolean oneAtATime = recommended.contains(doc.baselineModel());
        String advice = switch (kind == null ? "" : kind) {
            case "waiting" -> "size pools by tasks, not by cores";
            case "cpu" -> oneAtATime ? "here no model beats running the tasks one after another"
                    : processors == null ? "more threads than cores buy nothing"
                    : "more threads than the " + processors + (processors == 1 ? " core" : " cores") + " buy nothing";
            case "mixed" -> share == null || processors == null ? "size pools between the cores and the tasks"
                    : "a pool of about cores ÷ CPU share (" + Math.max(processors, Math.round(processors / Math.max(share, 0.01))) + " here) keeps the cores busy";
            default -> null;
        };
        if (advice != null) text.append(" — ").append(advice);
        return new WorkAnswers(first.workload(), first.params(), kind, share, List.copyOf(recommended), text.append('.').toString());
    }

    private static String join(List<String> models) {
        if (models.size() == 1) return models.get(0);
        return String.join(", ", models.subList(0, models.size() - 1)) + " and " + models.get(models.size() - 1);
    }

    private static String percent(double share) {
        return Math.round(100 * Math.max(0, Math.min(1, share))) + " %";
    }

    static String duration(double nanos) {
        if (nanos >= 1e9) return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        if (nanos >= 1e6) return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
}
