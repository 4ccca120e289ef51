package dev.conlab.server.web;

import dev.conlab.bench.Catalog;
import dev.conlab.bench.ForkMode;
import dev.conlab.bench.RunRequest;
import dev.conlab.bench.Suite;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.db.AgentStore;
import dev.conlab.db.MachineStore;
import dev.conlab.db.RunStatus;
import dev.conlab.server.core.Fmt;
import dev.conlab.server.core.LabException;
import dev.conlab.server.http.Requests;
import dev.conlab.server.queue.Progress;
import dev.conlab.server.queue.QueueEntry;
import dev.conlab.server.queue.RunQueue;
import dev.conlab.web.Views;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The overview's run form and queue panel: the form's choices (suites, workloads, models, the JDKs and interpreters
 * this host and its agents have, the machines), the panel's rows, and a submitted form read back into a
 * {@link RunRequest}. The handlers that answer them are {@link Pages}'.
 */
final class QueueForms {

    private QueueForms() {
    }

    /** The run the submitted form asks for; a value the form cannot hold refused with {@link LabException.Invalid}. */
    static RunRequest request(Context ctx) {
        return RunRequest.suite(ctx.formParam("suite")).withWorkloads(ctx.formParams("workloads"))
                .withModels(ctx.formParams("models")).withJdks(ctx.formParams("jdks")).withPythons(ctx.formParams("pythons"))
                .withIterations(Requests.integer(ctx, "warmups"), Requests.integer(ctx, "iterations"))
                .withForks(Requests.integer(ctx, "forks")).withForkMode(Requests.blankToNull(ctx.formParam("forkMode")))
                .withParams(params(ctx.formParam("params")))
                .withPrecision(decimal(ctx.formParam("targetCi")), Requests.integer(ctx, "maxForks"), interleave(ctx.formParam("interleave")));
    }

    /** The form's interleave choice: on, off, or the suite's (null). */
    static Boolean interleave(String choice) {
        return "on".equals(choice) ? Boolean.TRUE : "off".equals(choice) ? Boolean.FALSE : null;
    }

    /** The target interval typed in the form, or null for none. */
    static Double decimal(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new LabException.Invalid("the target interval must be a number of percent such as 3 or 2.5, not '" + text + "'");
        }
    }

    /**
     * The form's parameters: one {@code owner.name=value} per line or separated by spaces, a value may be a sweep
     * ({@code sleep-io.tasks=10,100,1000}).
     */
    static Map<String, String> params(String text) {
        var params = new LinkedHashMap<String, String>();
        if (text == null || text.isBlank()) return params;
        if (text.length() > 10_000) throw new LabException.Invalid("the parameters are " + text.length() + " characters; the limit is 10000");
        for (String item : text.strip().split("\\s+")) {
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new LabException.Invalid("bad parameter '" + item + "': write owner.name=value, e.g. sleep-io.tasks=100 or "
                        + "sleep-io.tasks=10,100,1000 to sweep it");
            }
            params.put(item.substring(0, eq), item.substring(eq + 1));
        }
        return params;
    }

    /** The run form's choices. */
    static Views.RunForm form(String csrf, RunQueue queue, MachineStore machines, AgentStore agents) {
        var suites = new ArrayList<Views.Choice>();
        for (Suite s : Suite.values()) suites.add(new Views.Choice(s.id(), s.id(), s.summary(), s == Suite.SMOKE));
        var workloads = Catalog.WORKLOADS.stream().map(w -> new Views.Choice(w.id(), w.id(), w.summary(), false)).toList();
        var models = Catalog.MODELS.stream().map(m -> new Views.Choice(m.id(), m.id(), m.summary(), false)).toList();
        var newest = queue.jdks().newestPerFeature();
        var jdkChoices = new ArrayList<Views.Choice>();
        for (int i = 0; i < newest.size(); i++) {
            Jdk j = newest.get(i);
            jdkChoices.add(new Views.Choice(String.valueOf(j.feature()), "JDK " + j.feature() + " (" + j.version() + ")",
                    j.home().toString(), i == newest.size() - 1));
        }
        var forkModes = Arrays.stream(ForkMode.values()).map(m -> new Views.Choice(m.id(), m.id(), m.summary(), false)).toList();
        var pythonChoices = new ArrayList<Views.Choice>();
        for (var p : dev.conlab.bench.fork.Pythons.known().all()) { // what is known: a page never waits for a probe
            // the path in the title: a label must fit a phone's width (labels do not wrap)
            pythonChoices.add(new Views.Choice(p.executable().toString(), p.choiceLabel(),
                    p.executable() + " — GIL " + (p.info().gil() ? "on" : "off") + "; modules: " + p.info().modules(), false));
        }
        var pythonModels = dev.conlab.bench.Vocabulary.python().models().stream()
                .map(m -> new Views.Choice(m.id(), m.id(), m.summary(), false)).toList();
        var machineChoices = new ArrayList<Views.Choice>();
        machineChoices.add(new Views.Choice("host", "this host", "measured by this server's own runner", true));
        var fleet = dev.conlab.server.fleet.Agents.byMachine(agents);
        for (MachineStore.Machine m : machines.list()) {
            var agent = fleet.get(m.id());
            if (agent == null || m.id() == queue.hostId()) continue;
            machineChoices.add(new Views.Choice(String.valueOf(m.id()), m.label() + (agent.online() ? "" : " (offline)"),
                    "agent " + (agent.online() ? "online" : "offline") + "; " + agent.runtimes().describe(), false));
            for (var j : agent.runtimes().jdks()) {
                String id = String.valueOf(j.feature());
                if (jdkChoices.stream().noneMatch(c -> c.id().equals(id))) {
                    jdkChoices.add(new Views.Choice(id, "JDK " + j.feature() + " (agents)", "on " + m.label() + ": " + j.home(), false));
                }
            }
        }
        return new Views.RunForm(suites, workloads, models, jdkChoices, forkModes, csrf, pythonChoices, pythonModels, machineChoices);
    }

    /** The queue panel: the active runs and the recently ended ones, each with its bar. */
    static Views.QueuePanel panel(RunQueue queue, String csrf, String message) {
        var items = new ArrayList<Views.QueueItem>();
        var entries = new ArrayList<>(queue.active());
        entries.addAll(queue.recentlyEnded(10)); // finished ones stay a while, full bar and link, so nobody misses the end
        for (QueueEntry run : entries) {
            Progress p = run.progress();
            double fraction = run.status() == RunStatus.DONE ? 1.0 : p.fraction();
            String current = null;
            String elapsed = null;
            String estimate = null;
            if (p instanceof Progress.Measuring m) {
                if (m.currentCell() != null) {
                    var c = m.currentCell();
                    current = c.workload() + " × " + c.model() + " (" + c.phase().id() + " " + c.iteration() + "/" + c.of() + ")";
                }
                elapsed = Fmt.seconds(m.elapsedSeconds());
                estimate = Fmt.seconds(m.estimateSeconds());
            }
            items.add(new Views.QueueItem(run.id(), run.status().id(), run.status().active(), run.runtimeLabel(),
                    run.suite(), p.cellsDone(), p.cellsTotal(), (int) Math.round(fraction * 100), current, elapsed, estimate,
                    run.machineId() == null || run.machineId() == queue.hostId() ? null : run.machine()));
        }
        return new Views.QueuePanel(items, csrf, message);
    }
}
