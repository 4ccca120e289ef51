package dev.conlab.server.web;

import dev.conlab.bench.Suite;
import dev.conlab.db.AgentStore;
import dev.conlab.db.MachineStore;
import dev.conlab.server.compare.JdkMatrix;
import dev.conlab.server.compare.PythonMatrix;
import dev.conlab.server.core.LabException;
import dev.conlab.server.http.Requests;
import dev.conlab.server.queue.RunQueue;
import dev.conlab.server.runs.RunService;
import dev.conlab.web.Views;
import io.javalin.http.Context;

import java.util.List;

/** The runtime matrices: /jdks (a machine's runs on two JDKs) and /pythons (on two Python interpreters), cell by cell. */
public final class MatrixPages {

    private final Templates templates;
    private final RunService runs;
    private final RunQueue queue;
    private final MachineStore machines;
    private final AgentStore agents;

    public MatrixPages(Templates templates, RunService runs, RunQueue queue, MachineStore machines, AgentStore agents) {
        this.templates = templates;
        this.runs = runs;
        this.queue = queue;
        this.machines = machines;
        this.agents = agents;
    }

    /** GET /jdks: one machine's runs on two JDKs, cell by cell. */
    public void jdkMatrix(Context ctx) {
        String suite = suite(ctx);
        List<Views.MachineLine> lines = machineLines();
        if (lines.isEmpty()) {
            templates.render(ctx, "jdks.jte", new Views.JdkMatrixPage(lines, 0, Pages.suiteIds(), suite, List.of(), 0, 0, List.of(), List.of(),
                    "No machines yet: runs bring them."));
            return;
        }
        Long chosen = Requests.optionalLong(ctx, "machine");
        long machine = chosen != null ? chosen : lines.stream()
                .max((a, b) -> Integer.compare(a.jdks().split(",").length * 1000 + a.runs(), b.jdks().split(",").length * 1000 + b.runs()))
                .orElseThrow().id();
        JdkMatrix matrix = JdkMatrix.of(runs, machine, Requests.integer(ctx, "from"), Requests.integer(ctx, "to"), suite);
        templates.render(ctx, "jdks.jte", JdkMatrixView.page(matrix, lines, Pages.suiteIds()));
    }

    /** GET /pythons: the machine's Python interpreters compared, as /jdks compares JDKs. */
    public void pythonMatrix(Context ctx) {
        String suite = suite(ctx);
        List<Views.MachineLine> lines = machineLines();
        if (lines.isEmpty()) {
            templates.render(ctx, "pythons.jte", new Views.PythonMatrixPage(lines, 0, Pages.suiteIds(), suite, List.of(), null, null, List.of(),
                    List.of(), "No machines yet: runs bring them."));
            return;
        }
        Long chosen = Requests.optionalLong(ctx, "machine");
        String from = Requests.blankToNull(ctx.queryParam("from"));
        String to = Requests.blankToNull(ctx.queryParam("to"));
        PythonMatrix matrix = null;
        if (chosen != null) {
            matrix = PythonMatrix.of(runs, chosen, from, to, suite);
        } else {
            // none chosen: this host, else the machines with the most runs, the first with two interpreters (a few at most)
            var order = lines.stream().sorted(java.util.Comparator.comparing((Views.MachineLine l) -> l.id() != queue.hostId())
                    .thenComparing(l -> -l.runs())).limit(5).toList();
            for (Views.MachineLine l : order) {
                matrix = PythonMatrix.of(runs, l.id(), from, to, suite);
                if (matrix.runtimes().size() >= 2) break;
            }
            if (matrix.runtimes().size() < 2) matrix = PythonMatrix.of(runs, order.get(0).id(), from, to, suite);
        }
        templates.render(ctx, "pythons.jte", JdkMatrixView.page(matrix, lines, Pages.suiteIds()));
    }

    /** The suite asked for, or null for the newest run's; an unknown one refused. */
    private static String suite(Context ctx) {
        String suite = Requests.blankToNull(ctx.queryParam("suite"));
        if (suite != null && !Pages.suiteIds().contains(suite)) {
            throw new LabException.Invalid("unknown suite '" + suite + "': " + Suite.ids());
        }
        return suite;
    }

    private List<Views.MachineLine> machineLines() {
        return Pages.machineLines(machines, agents, queue.hostId());
    }
}
