package dev.conlab.bench;

import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Python;
import dev.conlab.bench.fork.Pythons;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Python runtime through the real worker: a CPython interpreter found here (one that imports numpy, uvloop and
 * gevent — Debian's /usr/bin/python3 with python3-numpy, python3-uvloop and python3-gevent, as .ci/run installs), started
 * as the lab starts it, supervised by the same {@link ForkRunner}. Without such an interpreter these tests say so and
 * skip, except under CI=true, where they fail.
 */
class PythonWorkerIT {

    /** Cells that cannot exist by construction (catalog.json's "impossible"); each must say why. */
    private static final Map<String, String> STRUCTURALLY_UNSUPPORTED = PythonCatalog.impossiblePairs();

    private static Python python;

    @BeforeAll
    static void findPython() throws Exception {
        List<Python> complete = Pythons.discover().all().stream()
                .filter(p -> p.info().implementation().equals("CPython"))
                .filter(p -> p.info().modules() != null && p.info().modules().values().stream().allMatch(Boolean::booleanValue))
                .toList();
        Required.orSkip(!complete.isEmpty(), "a Python 3 that imports numpy, uvloop, gevent and Pillow (apt install python3-numpy "
                + "python3-uvloop python3-gevent python3-pil); found: " + Pythons.discover().describe());
        python = complete.stream().filter(p -> p.executable().toString().equals("/usr/bin/python3")).findFirst().orElse(complete.get(0));
    }

    interface Body {
        void run() throws Exception;
    }

    /**
     * The fixture tasks of fixtures.py (that raise, hang, answer wrongly, crash) installed as Python tasks of yours for the
     * length of {@code body}, as `conlab run --python-task` installs a user's: no hook in the lab's code.
     */
    private static void withFixtures(Body body) throws Exception {
        Path dir = Path.of(PythonWorkerIT.class.getResource("/dev/conlab/bench/python/fixtures.py").toURI()).getParent();
        dev.conlab.bench.fork.PythonTasks.install(List.of("fixtures:fixture_raise", "fixtures:fixture_hang", "fixtures:fixture_wrong",
                "fixtures:fixture_crash", "fixtures:fixture_pool_hang"), List.of(dir), python.executable().toString());
        try {
            body.run();
        } finally {
            dev.conlab.bench.fork.PythonTasks.install(List.of(), List.of(), python.executable().toString());
        }
    }

    /** Without the machine probe: these tests count samples, which a replaced disturbed fork would change (see WorkerIT.runner). */
    private static ForkRunner runner() {
        return new ForkRunner(ForkRunner.benchClasspath(), List.of(), dev.conlab.bench.machine.MachineMonitor.off());
    }

    @Test
    void every_python_model_and_workload_in_the_smoke_suite_is_ok_or_unsupported_with_its_reason() throws Exception {
        RunSpec spec = RunPlanner.plan(RunRequest.suite("smoke").withIterations(0, 1), Vocabulary.python());
        RunDocument doc = runner().run(python, spec, new ForkRunner.Listener() { });

        assertThat(SchemaCheck.problems(doc)).isEmpty();
        assertThat(doc.jvm()).isNull();
        assertThat(doc.python().implementation()).isEqualTo("CPython");
        assertThat(doc.python().version()).isEqualTo(python.info().version());
        assertThat(doc.runtime()).isEqualTo(Vocabulary.PYTHON);
        assertThat(doc.machine().cpu().logicalCpus()).isPositive();
        assertThat(doc.results()).hasSize(Vocabulary.python().workloads().size() * Vocabulary.python().models().size());
        for (CellResult cell : doc.results()) {
            String key = cell.workload() + "/" + cell.model();
            if (STRUCTURALLY_UNSUPPORTED.containsKey(key)) {
                assertThat(cell.status()).as(key).isEqualTo(CellStatus.UNSUPPORTED);
                assertThat(cell.error()).as(key).contains(STRUCTURALLY_UNSUPPORTED.get(key));
            } else {
                assertThat(cell.status()).as(key + ": " + cell.error()).isEqualTo(CellStatus.OK);
                assertThat(cell.samples()).as(key).hasSize(1);
                assertThat(cell.samples()).allSatisfy(s -> assertThat(s.wallNanos()).isPositive());
                assertThat(cell.concurrency()).as(key).isPositive();
            }
        }
        // T₁ of the CPU-bound workloads comes from the serial model, as sequential's does on the JVM
        assertThat(doc.oneThread()).isNotEmpty().allSatisfy(t -> assertThat(t.method()).contains("serial model's own code path"));
        CellResult cpuSerial = doc.results().stream().filter(c -> c.workload().equals("cpu-sum") && c.model().equals("serial"))
                .findFirst().orElseThrow();
        assertThat(cpuSerial.idealNanos()).isPositive();
        assertThat(dev.conlab.bench.stats.CellSummary.of(doc)).filteredOn(s -> s.model().equals("serial") && s.wall() != null)
                .allSatisfy(s -> assertThat(s.speedup()).isEqualTo(1.0));
    }

    @Test
    void raising_hanging_wrong_and_crashing_cells_end_with_their_reason_and_the_run_completes() throws Exception {
        withFixtures(() -> {
            var cells = List.of(
                    new CellSpec(0, "fixture-raise", "thread-pool", Map.of("tasks", 2L), Map.of("workers", 0L)),
                    new CellSpec(1, "fixture-hang", "threading", Map.of("tasks", 2L), Map.of()),
                    new CellSpec(2, "fixture-wrong", "serial", Map.of("tasks", 3L), Map.of()),
                    new CellSpec(3, "fixture-crash", "serial", Map.of("tasks", 1L), Map.of()),
                    new CellSpec(4, "sleep-io", "asyncio", Map.of("tasks", 2L, "latencyMs", 5L), Map.of()));
            RunDocument doc = runner().run(python, new RunSpec("smoke", new Settings(0, 2, 1, 3), cells), new ForkRunner.Listener() { });

            assertThat(doc.results()).extracting(CellResult::status)
                    .containsExactly(CellStatus.FAILED, CellStatus.TIMEOUT, CellStatus.FAILED, CellStatus.FAILED, CellStatus.OK);
            assertThat(doc.results().get(0).error()).contains("raised on purpose");
            assertThat(doc.results().get(1).error()).contains("cell timeout of 3 s").contains("worker process and its children were killed");
            assertThat(doc.results().get(2).error()).contains("wrong result");
            assertThat(doc.results().get(3).error()).contains("exited with code 7");
            assertThat(doc.results().get(4).samples()).hasSize(2);
        });
    }

    @Test
    void a_cancelled_run_leaves_no_python_worker_or_child_behind() throws Exception {
        withFixtures(() -> {
            // a process pool whose workers each start a child of their own, then hang: three generations to kill
            var cells = List.of(new CellSpec(0, "fixture-pool-hang", "process-pool", Map.of("tasks", 2L), Map.of("workers", 2L)));
            ForkRunner runner = runner();
            Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread run = new Thread(() -> {
                try {
                    runner.run(python, new RunSpec("smoke", new Settings(0, 1, 1, 120), cells), new ForkRunner.Listener() { });
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            run.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                Long pid = runner.currentPid();
                if (pid != null) {
                    ProcessHandle.of(pid).ifPresent(worker -> {
                        seen.add(worker);
                        worker.descendants().forEach(seen::add);
                    });
                }
                if (seen.size() >= 5) break; // the worker, two pool processes and their two children
                Thread.sleep(50);
            }
            assertThat(seen).as("the worker, its pool and the pool's children were seen").hasSizeGreaterThanOrEqualTo(5);
            runner.cancel();
            run.join(20_000);
            assertThat(run.isAlive()).isFalse();
            assertThat(outcome.get()).isInstanceOf(ForkRunner.CancelledException.class);
            long until = System.nanoTime() + 5_000_000_000L;
            while (seen.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < until) Thread.sleep(50);
            assertThat(seen).noneMatch(ProcessHandle::isAlive);
        });
    }

    @Test
    void gevent_cells_get_a_worker_of_their_own_whatever_the_fork_mode() throws Exception {
        var cells = List.of(
                new CellSpec(0, "sleep-io", "gevent", Map.of("tasks", 4L, "latencyMs", 20L), Map.of()),
                new CellSpec(1, "sleep-io", "threading", Map.of("tasks", 4L, "latencyMs", 20L), Map.of()));
        RunDocument doc = runner().run(python, new RunSpec("smoke", new Settings(0, 1, 1, 30, ForkMode.RUN, null), cells),
                new ForkRunner.Listener() { });
        assertThat(doc.results()).extracting(CellResult::status).containsOnly(CellStatus.OK);
        assertThat(doc.results().get(0).workerPids()).doesNotContainAnyElementsOf(doc.results().get(1).workerPids());
    }

    @Test
    void an_unknown_interpreter_path_is_refused_with_the_ones_found() {
        assertThatThrownBy(() -> Pythons.discover().select(List.of("/no/such/python3")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("is not a Python 3 interpreter")
                .hasMessageContaining(python.label());
    }

    @Test
    void the_worker_s_catalog_is_the_lab_s_vocabulary() throws Exception {
        Process p = new ProcessBuilder(python.executable().toString(), dev.conlab.bench.fork.PythonWorker.script().toString(), "--catalog")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        var catalog = Json.MAPPER.readTree(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        var models = new java.util.ArrayList<String>();
        catalog.get("models").forEach(m -> models.add(m.get("id").asText()));
        var workloads = new java.util.ArrayList<String>();
        catalog.get("workloads").forEach(w -> workloads.add(w.get("id").asText()));
        assertThat(models).containsExactlyElementsOf(Vocabulary.python().models().stream().map(Vocabulary.Entry::id).toList());
        assertThat(workloads).containsExactlyElementsOf(Vocabulary.python().workloads().stream().map(Vocabulary.Entry::id).toList());
        catalog.get("workloads").forEach(w -> assertThat(w.get("cpuBound").asBoolean()).as(w.get("id").asText())
                .isEqualTo(Vocabulary.python().workload(w.get("id").asText()).cpuBound()));
        assertThat(catalog.get("errorCap").asInt()).isEqualTo(CellResult.MAX_ERROR_LENGTH);
        assertThat(PythonCatalog.ownProcessModels()).containsExactly("gevent");
    }

    /** PyPy runs the worker: every cell of the smoke suite ok, or unsupported with the command that installs what it lacks. */
    @Test
    void pypy_runs_every_cell_or_says_what_it_lacks() throws Exception {
        var pypy = Pythons.discover().all().stream().filter(p -> p.info().implementation().equals("PyPy")).findFirst();
        Required.orSkip(pypy.isPresent(), "pypy3 (apt install pypy3)");
        // the workloads where PyPy differs from CPython (its gc, multiprocessing, asyncio of 3.9, ctypes), every model
        RunSpec spec = RunPlanner.plan(RunRequest.suite("smoke").withIterations(0, 1)
                .withWorkloads(List.of("sleep-io", "cpu-sum", "producer-consumer", "contended-counter", "crc-ctypes", "payload")), Vocabulary.python());
        RunDocument doc = runner().run(pypy.get(), spec, new ForkRunner.Listener() { });
        assertThat(SchemaCheck.problems(doc)).isEmpty();
        assertThat(doc.python().implementation()).isEqualTo("PyPy");
        for (CellResult cell : doc.results()) {
            String key = cell.workload() + "/" + cell.model();
            if (cell.status() == CellStatus.UNSUPPORTED) {
                assertThat(cell.error()).as(key).containsAnyOf("cannot import", "pointless", "must run at once");
            } else {
                assertThat(cell.status()).as(key + ": " + cell.error()).isEqualTo(CellStatus.OK);
            }
        }
        assertThat(doc.results()).filteredOn(c -> c.workload().equals("cpu-sum") && !Set.of("uvloop", "gevent").contains(c.model()))
                .extracting(CellResult::status).containsOnly(CellStatus.OK);
        // a JIT runtime's warm-ups: at least three per cell, whatever the settings say (docs/FINDINGS.md, "PyPy's warm-up")
        assertThat(doc.results()).filteredOn(c -> c.status() == CellStatus.OK).allSatisfy(c -> assertThat(c.warmupWallNanos()).hasSize(3));
    }
}
