package dev.conlab.bench;

import java.util.List;

/**
 * What to measure: the cells (a sweep's points are cells too) with the run's settings.
 *
 * @param sweeps the parameters measured at several values, empty when none
 */
public record RunSpec(String suite, Settings settings, List<CellSpec> cells, List<Sweep> sweeps) {

    public RunSpec {
        sweeps = sweeps == null ? List.of() : List.copyOf(sweeps);
    }

    public RunSpec(String suite, Settings settings, List<CellSpec> cells) {
        this(suite, settings, cells, List.of());
    }

    public RunSpec withCells(List<CellSpec> subset) {
        return new RunSpec(suite, settings, List.copyOf(subset), sweeps);
    }
}
