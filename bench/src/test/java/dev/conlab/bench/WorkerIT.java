package dev.conlab.bench;

import dev.conlab.bench.fixture.Fixtures;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Jdk;
import dev.conlab.bench.fork.JdkCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The real path: forked worker JVMs on the packaged multi-release jar, on JDK 25 (or the newest 21+) and JDK 17. */
@Execution(ExecutionMode.CONCURRENT) // its runs count cells and samples, never time them: two at a time
class WorkerIT {

    /** Cells that cannot exist by construction; each must say why. */
    private static final Map<String, String> STRUCTURALLY_UNSUPPORTED = Map.of(
            "producer-consumer/sequential", "running at once",
            "producer-consumer/processes", "separate JVMs",
            "contended-counter/processes", "separate JVMs");

    private static final JdkCatalog JDKS = JdkCatalog.discover();

    static String classpath(boolean withFixtures) {
        String jar = System.getProperty("conlab.benchJar");
        assertThat(Path.of(jar)).exists();
        var entries = new ArrayList<String>();
        entries.add(jar);
        String benchClasses = ForkRunner.benchClasspath().split(File.pathSeparator)[0];
        for (String entry : ForkRunner.benchClasspath().split(File.pathSeparator)) {
            if (!entry.equals(benchClasses)) entries.add(entry); // the libraries the worker needs (Jackson, HdrHistogram)
        }
        if (withFixtures) entries.add(Fixtures.classpath());
        return String.join(File.pathSeparator, entries);
    }

    /**
     * A runner that does not measure the machine beside its forks: these tests count forks and samples, and on a busy CI
     * machine a fork the probe calls disturbed is replaced by another (MachineIT tests that, with the probe on).
     */
    static ForkRunner runner(boolean withFixtures) {
        return new ForkRunner(classpath(withFixtures), List.of(), dev.conlab.bench.machine.MachineMonitor.off());
    }

    static Jdk newest() {
        List<Jdk> all = JDKS.newestPerFeature();
        Jdk jdk = all.get(all.size() - 1);
        assertThat(jdk.feature()).as("the build needs a JDK 21+, so one is installed").isGreaterThanOrEqualTo(21);
        return jdk;
    }

    private static void assertEveryCellOkOrStructurallyUnsupported(RunDocument doc, boolean virtualThreads) {
        assertThat(SchemaCheck.problems(doc)).isEmpty();
        assertThat(doc.results()).hasSize(Catalog.WORKLOADS.size() * Catalog.MODELS.size());
        for (CellResult cell : doc.results()) {
            String key = cell.workload() + "/" + cell.model();
            if (STRUCTURALLY_UNSUPPORTED.containsKey(key)) {
                assertThat(cell.status()).as(key).isEqualTo(CellStatus.UNSUPPORTED);
                assertThat(cell.error()).as(key).contains(STRUCTURALLY_UNSUPPORTED.get(key));
            } else if (cell.model().equals("virtual-threads") && !virtualThreads) {
                assertThat(cell.status()).as(key).isEqualTo(CellStatus.UNSUPPORTED);
                assertThat(cell.error()).as(key).contains("need JDK 21");
            } else {
                assertThat(cell.status()).as(key + ": " + cell.error()).isEqualTo(CellStatus.OK);
                assertThat(cell.samples()).as(key).hasSize(doc.settings().iterations());
                assertThat(cell.samples()).allSatisfy(s -> assertThat(s.wallNanos()).isPositive());
                assertThat(cell.concurrency()).as(key).isPositive();
            }
        }
    }

    @Test
    void every_model_and_workload_in_the_smoke_suite_runs_validated_on_jdk_21_or_newer() throws Exception {
        Jdk jdk = newest();
        RunSpec spec = RunPlanner.plan(RunRequest.suite("smoke").withIterations(0, 1));
        RunDocument doc = runner(false).run(jdk, spec, new ForkRunner.Listener() { });
        assertThat(doc.jvm().feature()).isEqualTo(jdk.feature());
        assertThat(doc.jvm().availableProcessors()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertEveryCellOkOrStructurallyUnsupported(doc, true);
        CellResult vt = doc.results().stream().filter(c -> c.model().equals("virtual-threads")).findFirst().orElseThrow();
        assertThat(vt.metricSources().get("allocBytes")).as("the JDK 21 overlay is loaded").isEqualTo("total-thread-allocated-bytes");
    }

    @Test
    void on_jdk_17_virtual_threads_are_unsupported_and_everything_else_runs() throws Exception {
        Jdk jdk17 = JDKS.newestPerFeature().stream().filter(j -> j.feature() == 17).findFirst().orElse(null);
        Required.orSkip(jdk17 != null, "a JDK 17 (apt install openjdk-17-jdk-headless)");
        RunSpec spec = RunPlanner.plan(RunRequest.suite("smoke").withIterations(0, 1));
        RunDocument doc = runner(false).run(jdk17, spec, new ForkRunner.Listener() { });
        assertThat(doc.jvm().feature()).isEqualTo(17);
        assertEveryCellOkOrStructurallyUnsupported(doc, false);
        assertThat(doc.results().get(0).metricSources().get("allocBytes")).isEqualTo("live-threads-lower-bound");
    }

    @Test
    void failing_hanging_wrong_and_crashing_cells_end_with_their_reason_and_the_run_completes() throws Exception {
        Map<String, Object> two = Map.of("tasks", 2L);
        Map<String, Object> sleep = Map.of("tasks", 2L, "latencyMs", 5L);
        var cells = List.of(
                new CellSpec(0, "fixture-throws", "fixed-pool", two, Map.of("threads", 0L)),
                new CellSpec(1, "fixture-hangs", "threads", two, Map.of()),
                new CellSpec(2, "fixture-wrong", "sequential", two, Map.of()),
                new CellSpec(3, "fixture-crashes", "sequential", two, Map.of()),
                new CellSpec(4, "sleep-io", "sequential", sleep, Map.of()));
        RunSpec spec = new RunSpec("smoke", new Settings(0, 2, 1, 3), cells);
        RunDocument doc = runner(true).run(newest(), spec, new ForkRunner.Listener() { });

        assertThat(doc.results()).extracting(CellResult::status)
                .containsExactly(CellStatus.FAILED, CellStatus.TIMEOUT, CellStatus.FAILED, CellStatus.FAILED, CellStatus.OK);
        assertThat(doc.results().get(0).error()).contains("broke on purpose");
        assertThat(doc.results().get(1).error()).contains("cell timeout of 3 s");
        assertThat(doc.results().get(2).error()).contains("wrong result");
        assertThat(doc.results().get(3).error()).contains("exited with code 3").contains("halting the JVM");
        assertThat(doc.results().get(4).samples()).hasSize(2);
    }

    @Test
    void a_hung_processes_cell_leaves_no_worker_or_child_jvm_alive() throws Exception {
        var cells = List.of(new CellSpec(0, "fixture-hangs", "processes", Map.of("tasks", 2L), Map.of("workers", 2L)));
        RunSpec spec = new RunSpec("smoke", new Settings(0, 1, 1, 8), cells);
        ForkRunner runner = runner(true);
        Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                Long pid = runner.currentPid();
                if (pid != null) {
                    ProcessHandle.of(pid).ifPresent(worker -> {
                        seen.add(worker);
                        worker.descendants().forEach(seen::add);
                    });
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        RunDocument doc;
        try {
            doc = runner.run(newest(), spec, new ForkRunner.Listener() { });
        } finally {
            watcher.interrupt();
            watcher.join();
        }
        assertThat(doc.results().get(0).status()).isEqualTo(CellStatus.TIMEOUT);
        assertThat(seen).as("the worker and its two children were seen").hasSizeGreaterThanOrEqualTo(3);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (seen.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(seen).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void forks_pool_their_samples_numbered_by_fork_each_from_its_own_jvm() throws Exception {
        var cells = List.of(new CellSpec(0, "sleep-io", "sequential", Map.of("tasks", 1L, "latencyMs", 5L), Map.of()));
        RunDocument doc = runner(false).run(newest(), new RunSpec("smoke", new Settings(0, 2, 2, 30), cells),
                new ForkRunner.Listener() { });
        CellResult cell = doc.results().get(0);
        assertThat(cell.samples()).extracting(Sample::fork).containsExactly(0, 0, 1, 1);
        assertThat(cell.workerPids()).hasSize(2).doesNotHaveDuplicates();
        assertThat(dev.conlab.bench.stats.CellSummary.wall(cell).forks()).isEqualTo(2);
        assertThat(SchemaCheck.problems(doc)).isEmpty();
    }

    @Test
    void every_cell_runs_in_a_fresh_jvm_and_one_t1_per_workload_is_measured_whatever_models_run() throws Exception {
        Map<String, Object> cpu = Map.of("workers", 4L, "count", 200_000L);
        var withSequential = List.of(
                new CellSpec(0, "cpu-sum", "fixed-pool", cpu, Map.of("threads", 0L)),
                new CellSpec(1, "cpu-sum", "sequential", cpu, Map.of()),
                new CellSpec(2, "sleep-io", "threads", Map.of("tasks", 2L, "latencyMs", 5L), Map.of()));
        RunDocument doc = runner(false).run(newest(), new RunSpec("smoke", new Settings(1, 3, 1, 60), withSequential),
                new ForkRunner.Listener() { });
        assertThat(SchemaCheck.problems(doc)).isEmpty();
        assertThat(doc.settings().forkMode()).isEqualTo(ForkMode.CELL);
        // three cells, three JVMs
        assertThat(doc.results()).allSatisfy(c -> assertThat(c.workerPids()).hasSize(1));
        assertThat(doc.results().stream().map(c -> c.workerPids().get(0)).distinct()).hasSize(3);
        // T₁ is the sequential cell itself, recorded with its method, and every cpu-sum ideal is T₁ ÷ min(4, P)
        assertThat(doc.oneThread()).hasSize(1);
        OneThread t1 = doc.oneThread().get(0);
        CellResult sequential = doc.results().get(1);
        assertThat(t1.nanos()).isEqualTo(Math.round(dev.conlab.bench.stats.CellSummary.wall(sequential).median()));
        assertThat(t1.method()).contains("sequential model's own code path").contains("own fresh fork");
        long ideal = Math.round(t1.nanos() / (double) Math.min(4, Runtime.getRuntime().availableProcessors()));
        assertThat(doc.results().get(0).idealNanos()).isEqualTo(ideal);
        assertThat(sequential.idealNanos()).isEqualTo(ideal);
        assertThat(doc.results().get(0).oneThreadNanos()).isEqualTo(t1.nanos());
        assertThat(doc.results().get(2).idealNanos()).isEqualTo(5_000_000L); // sleep-io: no T₁

        // without the sequential cell, T₁ is measured the same way, in a fork of its own that is not a cell of the run
        RunDocument alone = runner(false).run(newest(), new RunSpec("smoke", new Settings(1, 3, 1, 60), List.of(withSequential.get(0))),
                new ForkRunner.Listener() { });
        assertThat(alone.results()).hasSize(1);
        assertThat(alone.oneThread()).hasSize(1);
        assertThat(alone.oneThread().get(0).method()).isEqualTo(t1.method());
        assertThat(alone.results().get(0).idealFormula()).isEqualTo("T₁ ÷ min(workers, P)");
        assertThat(alone.results().get(0).oneThreadNanos()).isEqualTo(alone.oneThread().get(0).nanos());
    }
}
