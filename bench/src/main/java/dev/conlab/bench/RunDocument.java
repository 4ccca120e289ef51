package dev.conlab.bench;

import java.util.List;

/**
 * The result document {@value #SCHEMA}: one run on one JVM. The worker output, the CLI file, the upload
 * body and the sample data all use it; its JSON Schema is {@code conlab.run-1.schema.json} in this jar.
 *
 * @param oneThread the run's T₁ per workload and parameters, with how it was measured (null or empty in documents from
 *                  before it was measured once per run)
 * @param sweeps    the parameters this run measured at several values (null or empty when none)
 * @param python    the Python interpreter of a run on the Python runtime (then {@code jvm} is null); null for JVM runs
 * @param jmh       an imported JMH result file, every entry as JMH wrote it (suite {@code jmh}); null (and absent from the
 *                  JSON) in the lab's own runs
 * @param sitting   the command this run was measured in, shared with the other targets' documents of that command; null
 *                  (and absent from the JSON) in documents from before sittings, and in imported ones
 * @param tasks     the tasks of yours this run measured (their workload ids, files and hashes); null (and absent from the
 *                  JSON) when it measured none
 */
public record RunDocument(String schema, String id, String startedAt, String finishedAt, String suite,
                          MachineInfo machine, JvmInfo jvm, Settings settings, List<CellResult> results, List<OneThread> oneThread,
                          List<Sweep> sweeps, PythonInfo python,
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) JmhRun jmh,
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Sitting sitting,
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) List<TaskInfo> tasks) {

    public RunDocument(String schema, String id, String startedAt, String finishedAt, String suite, MachineInfo machine,
                       JvmInfo jvm, Settings settings, List<CellResult> results, List<OneThread> oneThread, List<Sweep> sweeps,
                       PythonInfo python, JmhRun jmh, Sitting sitting) {
        this(schema, id, startedAt, finishedAt, suite, machine, jvm, settings, results, oneThread, sweeps, python, jmh, sitting, null);
    }

    /** The task of yours a workload id of this run is, or null. */
    public TaskInfo task(String workload) {
        return tasks == null ? null : tasks.stream().filter(t -> t.workload().equals(workload)).findFirst().orElse(null);
    }

    public RunDocument(String schema, String id, String startedAt, String finishedAt, String suite, MachineInfo machine,
                       JvmInfo jvm, Settings settings, List<CellResult> results, List<OneThread> oneThread, List<Sweep> sweeps,
                       PythonInfo python, JmhRun jmh) {
        this(schema, id, startedAt, finishedAt, suite, machine, jvm, settings, results, oneThread, sweeps, python, jmh, null);
    }

    /** The same document as a member of a sitting. */
    public RunDocument withSitting(Sitting value) {
        return new RunDocument(schema, id, startedAt, finishedAt, suite, machine, jvm, settings, results, oneThread, sweeps, python, jmh, value,
                tasks);
    }

    /** Whether this run and {@code other} were measured in one interleaved sitting, so that their forks pair by round. */
    public boolean interleavedWith(RunDocument other) {
        return sitting != null && other.sitting() != null && sitting.interleaved() && other.sitting().interleaved()
                && sitting.id().equals(other.sitting().id());
    }

    public RunDocument(String schema, String id, String startedAt, String finishedAt, String suite, MachineInfo machine,
                       JvmInfo jvm, Settings settings, List<CellResult> results, List<OneThread> oneThread, List<Sweep> sweeps,
                       PythonInfo python) {
        this(schema, id, startedAt, finishedAt, suite, machine, jvm, settings, results, oneThread, sweeps, python, null);
    }

    public static final String SCHEMA = "conlab.run/1";

    public RunDocument(String schema, String id, String startedAt, String finishedAt, String suite, MachineInfo machine,
                       JvmInfo jvm, Settings settings, List<CellResult> results, List<OneThread> oneThread, List<Sweep> sweeps) {
        this(schema, id, startedAt, finishedAt, suite, machine, jvm, settings, results, oneThread, sweeps, null);
    }

    public RunDocument(String schema, String id, String startedAt, String finishedAt, String suite, MachineInfo machine,
                       JvmInfo jvm, Settings settings, List<CellResult> results) {
        this(schema, id, startedAt, finishedAt, suite, machine, jvm, settings, results, null, null);
    }

    public RunDocument(String schema, String id, String startedAt, String finishedAt, String suite, MachineInfo machine,
                       JvmInfo jvm, Settings settings, List<CellResult> results, List<OneThread> oneThread) {
        this(schema, id, startedAt, finishedAt, suite, machine, jvm, settings, results, oneThread, null);
    }

    /** {@code python} for a run on a Python interpreter, else {@code jvm}. */
    public String runtime() {
        return python != null && jvm == null ? Vocabulary.PYTHON : Vocabulary.JVM;
    }

    /** "JDK 25" or "CPython 3.11.2". */
    public String runtimeLabel() {
        if (python != null && jvm == null) return python.label();
        return jvm == null ? "JDK ?" : "JDK " + jvm.feature();
    }

    /** The runtime's feature version as the run table keeps it: the JDK's (25), 0 for Python (whose version is text). */
    public int runtimeFeature() {
        if (python != null && jvm == null) return 0;
        return jvm == null ? 0 : jvm.feature();
    }

    /** The JDK's or the interpreter's full version. */
    public String runtimeVersion() {
        if (python != null && jvm == null) return python.version();
        return jvm == null ? "?" : jvm.version();
    }

    /** The JDK's vendor, or the interpreter's implementation (CPython). */
    public String runtimeVendor() {
        if (python != null && jvm == null) return python.implementation();
        return jvm == null ? null : jvm.vendor();
    }

    /** The fork mode in words, for this run's runtime (worker JVMs, or worker processes of the interpreter). */
    public String forkModeSummary() {
        if (settings == null) return null;
        String summary = settings.effectiveForkMode().summary();
        return Vocabulary.PYTHON.equals(runtime()) ? summary.replace("worker JVM", "worker process") : summary;
    }

    /** The model every speedup of this run is against: the baseline of its runtime. */
    public String baselineModel() {
        return Vocabulary.of(runtime()).baseline();
    }

    /** Whether some parameter was measured at several values. */
    public boolean swept() {
        return sweeps != null && !sweeps.isEmpty();
    }

    /** The run's T₁ of this workload and parameters, if it has one. */
    public java.util.Optional<OneThread> oneThreadOf(String workload, java.util.Map<String, Object> params) {
        if (oneThread == null) return java.util.Optional.empty();
        return oneThread.stream().filter(t -> t.workload().equals(workload) && Params.sameValues(t.params(), params)).findFirst();
    }
}
