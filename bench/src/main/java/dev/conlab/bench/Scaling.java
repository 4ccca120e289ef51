package dev.conlab.bench;

import java.util.Map;

/**
 * What the {@code scaling} suite does with a workload: its parameters fixed at these values, and one of them swept.
 *
 * @param fixed     parameter values for the whole sweep (e.g. a 1 s latency, JEP 444's case)
 * @param parameter the swept parameter's name
 * @param values    the sweep as {@code -p} writes it (a list, or lo..hi xF)
 */
public record Scaling(Map<String, String> fixed, String parameter, String values) {
}
