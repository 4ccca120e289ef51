package dev.conlab.web;

import java.util.List;

/**
 * The view models: one record per page or partial, everything already formatted and every decision already taken
 * (which status can be cancelled, which cell has figures), so the templates only place text (JTE escapes all of it)
 * and spell no status, suite or model id themselves. The server builds them from its services.
 */
public final class Views {

    private Views() {
    }

    /**
     * A link-able run in a table.
     *
     * @param hasDocument it is done: its result document can be downloaded
     */
    public record RunLine(long id, String machine, long machineId, String jdk, String suite, String source, String status,
                          String created, int cells, int cellsTotal, boolean hasDocument) {
    }

    /**
     * A machine in a list. @param agentState {@code host} (this server's machine), {@code online}, {@code offline} or
     * {@code none}; @param agent what to show of it: "this host", "online · heard 2 s ago", …
     */
    public record MachineLine(long id, String label, String cpu, String cores, String memory, int runs, String jdks, String agentState,
                              String agent) {
    }

    public record JdkLine(int feature, String version, String vendor, String home, boolean isDefault) {
    }

    /** A choice in the run form. */
    public record Choice(String id, String label, String summary, boolean checked) {
    }

    /** The run form: @param pythons the interpreters found here, @param pythonModels the Python worker's models. */
    public record RunForm(List<Choice> suites, List<Choice> workloads, List<Choice> models, List<Choice> jdks, List<Choice> forkModes,
                          String csrf, List<Choice> pythons, List<Choice> pythonModels, List<Choice> machines) {
    }

    /**
     * A run of the live queue panel: queued, running, or ended in the last minutes.
     *
     * @param cancellable it is queued or running
     */
    public record QueueItem(long id, String status, boolean cancellable, String jdk, String suite, int cellsDone, int cellsTotal,
                            int percent, String currentCell, String elapsed, String estimate, String machine) {
    }

    public record QueuePanel(List<QueueItem> items, String csrf, String message) {
    }

    public record OverviewPage(List<MachineLine> machines, List<JdkLine> jdks, List<RunLine> latest, RunForm form,
                               QueuePanel queue, StartHere start, List<AlertLine> alerts, HostAnswers answers) {
    }

    /** The overview's answers: whose ({@code machine}; {@code elsewhere} when not this host's), one line per runtime and kind of work. */
    public record HostAnswers(String machine, boolean elsewhere, List<HostAnswer> lines) {
    }

    public record HostAnswer(String runtime, String kind, String workload, long runId, String sentence) {
    }

    /**
     * The overview's first steps: a finished run to open and two runs of one suite on different JDKs to compare
     * (from the sample data on a first start); null when there is none.
     */
    public record StartHere(RunLine run, RunLine older, RunLine newer) {
    }

    /** A fact of the environment card, e.g. "CPU" → "Intel Xeon …". */
    public record Fact(String name, String value) {
    }

    /**
     * One model's row under a workload's chart.
     *
     * @param ok it was measured: the figures are filled, else {@code error} says why not
     */
    /**
     * @param forks    the clean forks, and the disturbed ones left out ("5 + 1 disturbed")
     * @param capacity the machine's median capacity beside the forks ("0.91 of 2 CPUs"), "—" where not measured
     * @param machine  why forks were left out, one sentence; null when none was
     */
    public record CellRow(String model, String status, boolean ok, String median, String ci, String speedup,
                          String efficiency, String cpu, String cpuUtilisation, String alloc, String gc, String peakThreads,
                          String ctxSwitches, String error, String samples, String flag, String forks, String capacity, String machine) {
    }

    /**
     * A workload's chart and its table. {@code chartJson} is the data the chart draws (medians, CI bounds,
     * samples, ideal per model, in the rows' order); the page's script reads it from a data attribute.
     */
    public record WorkloadSection(String workload, String params, String chartId, String chartJson, List<CellRow> rows) {
    }

    /**
     * One point of a curve's table (a cell of a sweep).
     *
     * @param x          the swept value, formatted
     * @param xValue     the swept value as a number (the browser test matches it against the chart)
     * @param medianNanos the median in ns, for the same check; null when not measured
     */
    public record CurveRow(String model, String label, String x, long xValue, String status, boolean ok, String median, String ci,
                           String throughput, String memoryPerTask, String peakRss, String heapAfter, String latencyP50,
                           String latencyP99, String latencyMax, String pinned, String ideal, String error, Double medianNanos) {
    }

    /**
     * A swept workload: its curves (time or throughput per model over the swept parameter, log x), memory per task, the
     * sentences (crossovers, breaks, USL fits) and the table of every point.
     */
    public record CurveSection(String id, String title, String parameter, String chartJson, String memoryJson, String memoryTitle,
                               List<String> sentences, List<CurveRow> rows, boolean latency, boolean pinned) {
    }

    /**
     * @param oneThread the run's T₁ per workload and parameters, with how each was measured
     * @param interval  how the ± CI column's intervals were built
     * @param curves    the swept workloads' curves (empty for a run without sweeps)
     */
    public record RunPage(RunLine run, String title, String baselineModel, List<Fact> environment, List<Fact> oneThread,
                          String interval, List<CurveSection> curves, List<WorkloadSection> workloads, boolean live, String progress,
                          String error, List<JmhSection> jmh, List<Answer> answers) {
    }

    /** A workload's answer, first on a run's page: the fastest model, its margin to the next with the interval, its ideal. */
    public record Answer(String workload, String anchor, String sentence, String flags) {
    }

    /**
     * An imported JMH benchmark in one mode: a bar per @Param point (its median of JMH's raw data in JMH's unit, the
     * interval, the raw data as dots) and the table beside it with JMH's own score and error.
     *
     * @param direction "higher is better" (throughput) or "lower is better"
     * @param chartJson the bars, one per @Param point (app.js's {@code data-chart}); null when the benchmark is a sweep
     * @param curveJson a benchmark whose numeric @Param varies: a line per other parameters and threads over it (log x,
     *                  app.js's {@code data-jmh-curve}); null otherwise
     * @param swept     the swept @Param's name, or null
     */
    public record JmhSection(String id, String title, String benchmark, String mode, String unit, String direction, String chartJson,
                             String curveJson, String swept, List<JmhRow> rows) {
    }

    /**
     * @param score JMH's score ± its error (JMH's 99.9 % interval), in JMH's unit
     * @param alloc gc.alloc.rate.norm (bytes per operation) where JMH's GC profiler ran, else an em dash
     */
    public record JmhRow(String label, String threads, String status, boolean ok, String median, String ci, String score, String alloc,
                         String samples, String error) {
    }

    public record RunsPage(List<RunLine> runs, int total, int offset, int limit, String query, String previous, String next,
                           List<MachineLine> machines, List<Integer> jdkFeatures, List<String> suites, List<String> sources,
                           String machine, String jdk, String suite, String source) {
    }

    /** An alert of the history: a step found in a cell's runs over time. @param kind regression or improvement */
    public record AlertLine(String kind, String sentence, String compareUrl, String historyUrl, String at) {
    }

    /** A cell of a machine whose history can be drawn. */
    public record CellLink(String workload, String model, String url) {
    }

    /** One run of a history, as the table under the chart shows it. */
    /**
     * @param machine the machine beside the run's forks: its capacity and the disturbed forks left out ("0.93 · 1 disturbed"),
     *                "—" for runs from before it was measured
     */
    public record HistoryRow(String runtime, long runId, String at, String version, String median, String interval, int samples,
                             boolean update, String machine) {
    }

    /** A machine's history of one cell: @param chartJson the lines for app.js (x: time, y: median in ms, band: interval) */
    public record HistoryPage(MachineLine machine, String workload, String model, String params, String chartJson, List<HistoryRow> rows,
                              List<AlertLine> alerts, List<CellLink> cells, String csvUrl) {
    }

    public record MachinePage(MachineLine machine, List<Fact> facts, List<RunLine> runs, String csrf, List<AlertLine> alerts,
                              List<CellLink> cells, CheckView check) {
    }

    /** A machine's last check ({@code conlab doctor}): when, its verdict and each finding with what to do. */
    public record CheckView(String at, String verdict, String level, List<CheckItem> items) {
    }

    /** @param level ok, info, warn or unknown */
    public record CheckItem(String name, String value, String level, String advice) {
    }

    public record MachinesPage(List<MachineLine> machines) {
    }

    /** One cell of the JDK matrix: newer ÷ older time with its interval, and a CSS class for its verdict (faster / slower / same). */
    public record MatrixCell(String text, String css, String title) {
    }

    public record MatrixRow(String workload, List<MatrixCell> cells) {
    }

    public record JdkMatrixPage(List<MachineLine> machines, long machineId, List<String> suites, String suite, List<Integer> features,
                                int from, int to, List<String> models, List<MatrixRow> rows, String note) {
    }

    /** The Python matrix: as the JDK matrix, its interpreters by label ("CPython 3.11.2", "PyPy 3.9.16"); from/to null when none. */
    public record PythonMatrixPage(List<MachineLine> machines, long machineId, List<String> suites, String suite, List<String> runtimes,
                                   String from, String to, List<String> models, List<MatrixRow> rows, String note) {
    }

    public record UploadPage(String csrf, String error, List<String> problems, String pasted) {
    }

    public record CompareRun(long id, String label, String jdk, String machine, String suite, boolean baseline) {
    }

    public record EnvRow(String name, List<String> values, boolean differs) {
    }

    /** A cell of a comparison with a verdict (faster or slower than the baseline), for the page's opening list; anchor: its section. */
    public record ChangeLine(String workload, String label, String run, String ratio, String ratioCi, String verdict, String css,
                             String anchor) {
    }

    /** One run's cell in a comparison: its median ± CI, and its ratio to the baseline with CI and verdict. */
    public record CompareCell(String median, String ci, String ratio, String ratioCi, String verdict, String css) {
    }

    /** @param label the model, with its point when the runs are sweeps ("virtual-threads @ tasks=1000") */
    public record CompareRow(String model, String label, List<CompareCell> cells) {
    }

    /** @param curves for sweeps, each run's curve of each model overlaid (an imported JMH benchmark: one per unit); empty otherwise */
    public record CompareBlock(String workload, boolean cpuBound, String chartId, String chartJson, List<CompareRow> rows,
                               List<CompareCurve> curves) {
    }

    /**
     * @param id    the canvas's id
     * @param json  app.js's {@code data-compare-curve}
     * @param about what its lines are, for the canvas's label
     */
    public record CompareCurve(String id, String json, String about) {
    }

    /**
     * A comparison: live ({@code /compare}, with filters and the share form) or shared ({@code /c/{slug}}: a
     * snapshot with its title and note). {@code exportBase} is the URL the CSV / Markdown / JSON links extend.
     */
    public record ComparePage(String heading, String note, String shared, List<CompareRun> runs, List<EnvRow> environment,
                              List<String> warnings, List<CompareBlock> blocks, String method, String query, String exportBase,
                              List<Choice> workloads, List<Choice> models, boolean sortByChange, String csrf, String description,
                              List<ChangeLine> changes) {
        public boolean live() {
            return shared == null;
        }

        /** The environment facts that differ between the runs (shown), and those equal in all (folded). */
        public List<EnvRow> differingFacts() {
            return environment.stream().filter(EnvRow::differs).toList();
        }

        public List<EnvRow> equalFacts() {
            return environment.stream().filter(e -> !e.differs()).toList();
        }
    }

    /** The articles' claims against what was measured (/claims). */
    /**
     * @param csrf            the form token for the rows' "queue these runs" buttons
     * @param tokenRemembered whether this browser session remembers a token (else each button has a token field)
     */
    public record ClaimsPage(String rule, List<ClaimRow> rows, String note, String csrf, boolean tokenRemembered) {
    }

    public record ClaimRow(String id, String article, String claim, String theirFigures, String check, String command, String verdict,
                           String verdictText, List<ClaimVerdict> verdicts, ClaimRun run) {
    }

    /** The run a claim's command asks for, as the run form's fields (POST /queue); params one {@code owner.name=value} per word. */
    public record ClaimRun(String suite, List<String> pythons, List<String> workloads, List<String> models, String params) {
    }

    public record ClaimVerdict(String machine, String runtime, String verdict, String verdictText, List<ClaimFigure> figures) {
    }

    public record ClaimFigure(String text, String url, String css) {
    }
}
