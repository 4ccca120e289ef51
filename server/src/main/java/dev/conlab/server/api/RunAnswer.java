package dev.conlab.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.Settings;
import dev.conlab.db.RunStore;
import dev.conlab.server.queue.Progress;
import dev.conlab.server.runs.CellFigures;
import dev.conlab.server.runs.RunFigures;

import java.util.List;

/** GET /api/runs/{id}: the run's row, what its document says with the derived statistics, and while it has no document its progress. */
record RunAnswer(RunStore.RunRow run, MachineInfo machine, JvmInfo jvm,
                 @JsonInclude(JsonInclude.Include.NON_NULL) dev.conlab.bench.PythonInfo python, Settings settings,
                 @JsonInclude(JsonInclude.Include.NON_NULL) List<dev.conlab.bench.OneThread> oneThread, List<CellFigures> cells,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Progress progress) {

    static RunAnswer of(RunStore.RunRow row, RunFigures figures, Progress progress) {
        return new RunAnswer(row, figures.machine(), figures.jvm(), figures.python(), figures.settings(), figures.oneThread(), figures.cells(), progress);
    }
}
