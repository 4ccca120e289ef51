package dev.conlab.cli;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static dev.conlab.cli.CliProcess.conlab;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tasks of yours that fail, answer wrongly or hang (issue #27): each ends its cell with its sentence and the next cell
 * completes. In `conlab` processes of their own, beside the other tests: they learn no kind, and the hanging tasks' cell
 * timeouts are waits, not work ({@link TaskJarTest} and {@link PythonTaskTest} learn kinds, alone).
 */
class TaskFailuresTest {

    @Test
    void a_task_whose_check_fails_ends_wrong_result_and_one_that_hangs_ends_timeout_and_the_next_cell_completes(@TempDir Path dir)
            throws Exception {
        Path jar = TaskJarTest.taskJar(dir,
                Map.of("Wrong", TaskJarTest.WRONG, "Hanger", TaskJarTest.HANGER, "Sleeper", TaskJarTest.SLEEPER));
        Path out = dir.resolve("bad.json");
        var r = conlab(dir, 120, "run", "--task-jar", jar.toString(), "--suite", "smoke", "--workloads", "hanger,wrong,sleeper",
                "--models", "sequential", "--cell-timeout", "5", "--no-progress", "--no-machine-probe", "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
        RunDocument doc = Json.MAPPER.readValue(out.toFile(), RunDocument.class);
        var byWorkload = new HashMap<String, CellResult>();
        doc.results().forEach(c -> byWorkload.put(c.workload(), c));
        assertThat(byWorkload.get("wrong").status()).isEqualTo(CellStatus.FAILED);
        assertThat(byWorkload.get("wrong").error()).startsWith("wrong result: ").contains("unit 0 answered 1, not 0");
        assertThat(byWorkload.get("hanger").status()).isEqualTo(CellStatus.TIMEOUT);
        assertThat(byWorkload.get("hanger").error()).contains("5 s");
        assertThat(byWorkload.get("sleeper").status()).as(byWorkload.get("sleeper").error()).isEqualTo(CellStatus.OK);
    }

    @Test
    void a_python_task_that_raises_fails_its_check_or_hangs_ends_failed_or_timeout_and_the_next_cell_completes(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("shop.py"), PythonTaskTest.SHOP);
        Path out = dir.resolve("bad.json");
        var r = conlab(dir, 120, "run", "--python-task", "shop:broken", "--python-task", "shop:wrong", "--python-task", "shop:hangs",
                "--python-task", "shop:lookup", "--python-path", dir.toString(), "--python", "/usr/bin/python3", "--suite", "smoke",
                "--models", "serial", "--cell-timeout", "5", "--no-progress", "--no-machine-probe", "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
        RunDocument doc = Json.MAPPER.readValue(out.toFile(), RunDocument.class);
        Map<String, CellResult> cells = new HashMap<>();
        doc.results().forEach(c -> cells.put(c.workload(), c));
        assertThat(cells.get("broken").status()).isEqualTo(CellStatus.FAILED);
        assertThat(cells.get("broken").error()).startsWith("KeyError: 'no order 0'").contains("shop.py");
        assertThat(cells.get("wrong").status()).isEqualTo(CellStatus.FAILED);
        assertThat(cells.get("wrong").error()).isEqualTo("wrong result: unit 0 answered 1, not 0");
        assertThat(cells.get("hangs").status()).isEqualTo(CellStatus.TIMEOUT);
        assertThat(cells.get("hangs").error()).contains("5 s");
        assertThat(cells.get("lookup").status()).as(cells.get("lookup").error()).isEqualTo(CellStatus.OK);
    }
}
