package dev.conlab.bench;

import java.util.List;

/** What a worker JVM is asked to measure. */
public record RunSpec(String suite, Settings settings, List<CellSpec> cells) {

    public RunSpec withCells(List<CellSpec> subset) {
        return new RunSpec(suite, settings, List.copyOf(subset));
    }
}
