package dev.conlab.server.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.Json;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.Settings;
import dev.conlab.bench.stats.CellSummary;
import dev.conlab.db.QueueStore;
import dev.conlab.db.RunStatus;
import dev.conlab.db.RunStore;
import dev.conlab.server.core.LabException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Run documents: store (through {@link Ingest}), read, and derive. A finished run never changes, so what is derived
 * from its document is computed once (LRU); a run without a document (queued, running, stopped) shows the cells
 * stored so far, derived again only when a cell arrives or its status changes. The API, the pages, the comparisons
 * and the CLI's import all read runs through here.
 */
public final class RunService {

    private static final int CACHED_RUNS = 256;

    private final RunStore runs;
    private final QueueStore queue;
    private final Ingest ingest;
    private final Map<Long, RunFigures> derived = lru(CACHED_RUNS);
    private final Map<Long, Map.Entry<String, RunFigures>> partials = lru(64);

    public RunService(RunStore runs, QueueStore queue) {
        this.runs = runs;
        this.queue = queue;
        this.ingest = new Ingest(runs);
    }

    private static <K, V> Map<K, V> lru(int size) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        };
    }

    public Ingest ingest() {
        return ingest;
    }

    /** A stored machine's facts (for imports of files that record none); {@link LabException.NotFound} when there is none. */
    public MachineInfo machineFacts(long machineId) {
        return runs.machineFacts(machineId).orElseThrow(() -> new LabException.NotFound("no machine " + machineId
                + "; GET /api/machines lists them"));
    }

    public int count() {
        return runs.count();
    }

    /** A machine's latest finished runs, newest first. */
    public List<RunStore.RunRow> finishedRuns(long machineId, int limit) {
        return runs.finishedRuns(machineId, limit);
    }

    /** The stored statistics of these runs' measured cells. */
    public List<RunStore.CellStat> cellStats(java.util.Collection<Long> runIds) {
        return runs.cellStats(runIds, null, null);
    }

    public RunStore.Page list(RunStore.Filter filter, int offset, int limit) {
        return runs.list(filter, offset, limit);
    }

    /** See {@link RunStore#newestDonePerJdk}. */
    public java.util.SortedMap<Integer, RunStore.RunRow> newestDonePerJdk(long machineId, String suite, String exceptSuite) {
        return runs.newestDonePerJdk(machineId, suite, exceptSuite);
    }

    /** See {@link RunStore#newestDone}. */
    public Optional<RunStore.RunRow> newestDone(long machineId, int feature, String suite, String exceptSuite) {
        return runs.newestDone(machineId, feature, suite, exceptSuite);
    }

    public Optional<RunStore.RunRow> find(long id) {
        return runs.row(id);
    }

    /** The run's row; {@link LabException.NotFound} when there is none. */
    public RunStore.RunRow row(long id) {
        return runs.row(id).orElseThrow(() -> notFound(id));
    }

    public static LabException.NotFound notFound(long id) {
        return new LabException.NotFound("no run " + id + "; GET /api/runs lists them");
    }

    /** A run's document: as stored when it is done, else a document of the cells stored so far. */
    public RunDocument document(RunStore.RunRow row) {
        return row.status() == RunStatus.DONE ? storedDocument(row.id()) : partialDocument(row);
    }

    /** The document as it was received; only done runs have one. */
    public String documentJson(long id) {
        return runs.documentJson(id).orElseThrow(() -> runs.row(id)
                .<LabException>map(row -> new LabException.NotFound("run " + id + " is " + row.status()
                        + " and has no result document (only done runs have one); GET /api/runs/" + id + " shows its cells"))
                .orElseGet(() -> notFound(id)));
    }

    /** The machine, JVM, settings and per-cell statistics of a run. */
    public RunFigures figures(RunStore.RunRow row) {
        if (row.status() != RunStatus.DONE) return partialFigures(row);
        RunFigures cached;
        synchronized (derived) {
            cached = derived.get(row.id());
        }
        if (cached != null) return cached;
        RunFigures figures = derive(storedDocument(row.id()));
        synchronized (derived) {
            derived.put(row.id(), figures);
        }
        return figures;
    }

    /**
     * Progress bars poll a running run's page while it measures on the same host, so it must cost next to nothing:
     * derived again only when a cell arrived or its status changed.
     */
    private RunFigures partialFigures(RunStore.RunRow row) {
        String key = row.status() + "/" + row.cells() + "/" + (row.startedAt() != null);
        synchronized (partials) {
            var cached = partials.get(row.id());
            if (cached != null && cached.getKey().equals(key)) return cached.getValue();
        }
        RunFigures figures = derive(partialDocument(row));
        synchronized (partials) {
            partials.put(row.id(), Map.entry(key, figures));
        }
        return figures;
    }

    /** The table the exports write. */
    public RunTable table(long id) {
        RunStore.RunRow row = row(id);
        return RunTable.of(row, document(row));
    }

    /** Deletes a finished run with its cells and samples; a queued or running one must be cancelled first. */
    public void delete(long id) {
        RunStatus status = row(id).status();
        if (status.active()) {
            throw new LabException.Conflict("run " + id + " is " + status + "; cancel it first with DELETE /api/queue/" + id);
        }
        if (!runs.delete(id)) throw notFound(id);
        synchronized (derived) {
            derived.remove(id);
        }
    }

    private RunDocument storedDocument(long id) {
        try {
            return Json.MAPPER.readValue(runs.documentJson(id).orElseThrow(() -> notFound(id)), RunDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + id + " holds a document this version cannot read", e);
        }
    }

    /** A run without a document, as a document of the cells stored so far (machine and JVM once its worker said hello). */
    private RunDocument partialDocument(RunStore.RunRow row) {
        List<CellResult> cells = runs.cells(row.id()).stream().map(RunStore.PositionedCell::result).toList();
        MachineInfo machine = null;
        JvmInfo jvm = null;
        dev.conlab.bench.PythonInfo python = null;
        Settings settings = null;
        try {
            String environment = queue.environmentJson(row.id()).orElse(null);
            if (environment != null) {
                var node = Json.MAPPER.readTree(environment);
                machine = Json.MAPPER.treeToValue(node.get("machine"), MachineInfo.class);
                if (node.hasNonNull("jvm")) jvm = Json.MAPPER.treeToValue(node.get("jvm"), JvmInfo.class);
                if (node.hasNonNull("python")) python = Json.MAPPER.treeToValue(node.get("python"), dev.conlab.bench.PythonInfo.class);
            }
            if (python == null && dev.conlab.bench.Vocabulary.PYTHON.equals(row.runtime())) {
                // queued, its worker not started yet: what the queue knew of the interpreter
                String version = row.jdkVersion();
                String feature = version.matches("\\d+\\.\\d+.*") ? version.replaceAll("^(\\d+\\.\\d+).*", "$1") : version;
                python = new dev.conlab.bench.PythonInfo(row.jdkVendor() == null ? "Python" : row.jdkVendor(), version, feature, null, null,
                        null, true, false, null, null, null);
            }
            var queued = queue.get(row.id()).orElse(null);
            if (queued != null && queued.specJson() != null) {
                settings = Json.MAPPER.readValue(queued.specJson(), RunSpec.class).settings();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + row.id() + " holds JSON this version cannot read", e);
        }
        return new RunDocument(RunDocument.SCHEMA, row.documentId(), row.startedAt() == null ? null : row.startedAt().toString(),
                row.finishedAt() == null ? null : row.finishedAt().toString(), row.suite(), machine, jvm, settings, cells, null, null, python);
    }

    private static RunFigures derive(RunDocument doc) {
        List<CellSummary> summaries = CellSummary.of(doc);
        var cells = new ArrayList<CellFigures>();
        for (int i = 0; i < summaries.size(); i++) {
            CellResult cell = doc.results().get(i);
            CellSummary s = summaries.get(i);
            cells.add(new CellFigures(cell.workload(), cell.model(), cell.params(), cell.modelParams(), cell.status(),
                    cell.concurrency(), cell.idealNanos(), cell.idealFormula(), cell.error(), cell.samples().size(), s.wall(),
                    s.speedup(), s.efficiency(), s.cpuUtilisation(), s.efficiencyLow(), s.efficiencyHigh(), s.flag(), cell.workerPids(),
                    cell.jmh() == null ? "ns" : cell.jmh().unit(), cell.higherIsBetter()));
        }
        return new RunFigures(doc.machine(), doc.jvm(), doc.python(), doc.settings(), doc.oneThread(), List.copyOf(cells));
    }
}
