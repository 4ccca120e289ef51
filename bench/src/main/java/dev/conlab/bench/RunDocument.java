package dev.conlab.bench;

import java.util.List;

/**
 * The result document {@value #SCHEMA}: one run on one JVM. The worker output, the CLI file, the upload
 * body and the sample data all use it; its JSON Schema is {@code conlab.run-1.schema.json} in this jar.
 *
 * @param oneThread the run's T₁ per workload and parameters, with how it was measured (null or empty in documents from
 *                  before it was measured once per run)
 * @param sweeps    the parameters this run measured at several values (null or empty when none)
 */
public record RunDocument(String schema, String id, String startedAt, String finishedAt, String suite,
                          MachineInfo machine, JvmInfo jvm, Settings settings, List<CellResult> results, List<OneThread> oneThread,
                          List<Sweep> sweeps) {

    public static final String SCHEMA = "conlab.run/1";

    public RunDocument(String schema, String id, String startedAt, String finishedAt, String suite, MachineInfo machine,
                       JvmInfo jvm, Settings settings, List<CellResult> results) {
        this(schema, id, startedAt, finishedAt, suite, machine, jvm, settings, results, null, null);
    }

    public RunDocument(String schema, String id, String startedAt, String finishedAt, String suite, MachineInfo machine,
                       JvmInfo jvm, Settings settings, List<CellResult> results, List<OneThread> oneThread) {
        this(schema, id, startedAt, finishedAt, suite, machine, jvm, settings, results, oneThread, null);
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
