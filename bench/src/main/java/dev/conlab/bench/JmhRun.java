package dev.conlab.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * An imported JMH result file, kept whole: every entry exactly as JMH wrote it, so that no field is lost (the cells
 * carry what the lab's statistics and pages use).
 *
 * @param jmhVersion the JMH that wrote the file
 * @param file       the file's name as it was imported (null when it came as an upload body)
 * @param benchmarks the file's entries, as JMH wrote them
 */
public record JmhRun(String jmhVersion, String file, List<JsonNode> benchmarks) {
}
