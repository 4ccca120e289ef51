package dev.conlab.bench;

import java.util.List;

/**
 * The result document {@value #SCHEMA}: one run on one JVM. The worker output, the CLI file, the upload
 * body and the sample data all use it; its JSON Schema is {@code conlab.run-1.schema.json} in this jar.
 */
public record RunDocument(String schema, String id, String startedAt, String finishedAt, String suite,
                          MachineInfo machine, JvmInfo jvm, Settings settings, List<CellResult> results) {

    public static final String SCHEMA = "conlab.run/1";
}
