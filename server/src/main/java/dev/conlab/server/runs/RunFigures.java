package dev.conlab.server.runs;

import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.Settings;

import java.util.List;

/** Everything that comes from a run's document: where it ran, how, its T₁ per workload, and each cell's figures. */
public record RunFigures(MachineInfo machine, JvmInfo jvm, dev.conlab.bench.PythonInfo python, Settings settings, List<dev.conlab.bench.OneThread> oneThread,
                         List<CellFigures> cells) {
}
