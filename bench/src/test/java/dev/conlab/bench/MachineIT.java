package dev.conlab.bench;

import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.stats.CellSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The machine beside every fork and disturbed forks, in real worker JVMs. Forks to a target interval and interleaved sittings,
 * which need no measure of the machine, are {@link SittingIT}'s, beside the other tests.
 */
@Isolated("it measures the machine: a test beside it is the disturbance it must not see")
class MachineIT {

    private static final Map<String, Object> SLEEP = Map.of("tasks", 1L, "latencyMs", 400L);

    /** The runner with the machine measured beside every fork (the other tests' runners leave it out: see WorkerIT.runner). */
    private static ForkRunner runner() {
        return new ForkRunner(WorkerIT.classpath(false), List.of(), dev.conlab.bench.machine.MachineMonitor.onThisMachine());
    }

    @Test
    void every_fork_records_the_machine_beside_it() throws Exception {
        var cells = List.of(new CellSpec(0, "sleep-io", "sequential", Map.of("tasks", 1L, "latencyMs", 5L), Map.of()));
        RunDocument doc = runner().run(WorkerIT.newest(), new RunSpec("smoke", new Settings(0, 2, 2, 30), cells),
                new ForkRunner.Listener() { });
        CellResult cell = doc.results().get(0);
        // two clean forks (and, on a busy machine, the disturbed ones they replaced)
        assertThat(cell.forks().stream().filter(ForkRecord::clean).count()).as("%s", cell.forks()).isEqualTo(2);
        assertThat(cell.forks()).extracting(ForkRecord::fork).startsWith(0, 1);
        assertThat(cell.forks()).extracting(ForkRecord::pid).containsExactlyElementsOf(cell.workerPids());
        for (ForkRecord f : cell.forks()) {
            MachineState m = f.machine();
            assertThat(m.before().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(m.before().parallelism()).isPositive();
            assertThat(m.after().parallelism()).isPositive();
            if (Files.isReadable(Path.of("/proc/stat"))) {
                assertThat(m.windowNanos()).isPositive();
                assertThat(m.cpus()).isPositive();
                assertThat(m.otherShare()).isBetween(0.0, 1.0);
                assertThat(m.workerCpuNanos()).isNotNull();
            }
            // what cannot be read is null with its reason, never a guess
            if (m.mhz() == null) assertThat(m.unavailable()).containsKey("mhz");
        }
        assertThat(cell.forksStopped()).startsWith("2 clean forks, as set");
        assertThat(doc.sitting()).isNull();
        assertThat(SchemaCheck.problems(doc)).isEmpty();
    }

    @Test
    void two_busy_processes_beside_a_fork_make_it_disturbed_and_it_is_replaced_and_left_out() throws Exception {
        var cells = List.of(new CellSpec(0, "sleep-io", "sequential", SLEEP, Map.of()));
        var busy = new ArrayList<Process>();
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        var listener = new ForkRunner.Listener() {
            @Override
            public void forkStarted(int number, int forks) {
                if (number != 0) return;
                try {
                    for (int i = 0; i < 2; i++) busy.add(new ProcessBuilder(python, "-c", "while True: pass").start());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void forkDone(int number, String disturbed) {
                stop(busy);
            }
        };
        RunDocument doc;
        try {
            doc = runner().run(WorkerIT.newest(), new RunSpec("smoke", new Settings(1, 3, 2, 60), cells), listener);
        } finally {
            stop(busy);
        }
        CellResult cell = doc.results().get(0);
        ForkRecord first = cell.forks().get(0);
        assertThat(first.disturbed()).contains("other processes used").endsWith("during fork 1");
        assertThat(first.machine().otherShare()).isGreaterThan(0.5);
        // kept in the document, replaced by another fork, left out of the statistics
        assertThat(cell.samples()).anyMatch(s -> s.fork() == 0);
        assertThat(cell.forks().size()).isGreaterThanOrEqualTo(3);
        assertThat(cell.cleanSamples()).noneMatch(s -> s.fork() == 0);
        assertThat(cell.forksStopped()).contains("disturbed fork");
        assertThat(CellSummary.of(doc).get(0).disturbed()).contains("other processes used");
        assertThat(SchemaCheck.problems(doc)).isEmpty();
    }

    private static void stop(List<Process> processes) {
        for (Process p : processes) p.destroyForcibly();
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}
