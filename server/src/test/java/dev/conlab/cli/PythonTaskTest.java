package dev.conlab.cli;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.stats.WorkAnswers;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

import static dev.conlab.cli.RunCommandTest.conlab;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Python function of yours under every Python model (issue #27): `conlab run --python-task MODULE:FUNCTION --python-path DIR`
 * in real worker processes of /usr/bin/python3 (the interpreter that sees Debian's uvloop and gevent; CI installs them).
 */
@Isolated("a task's kind is learnt from its CPU ÷ wall time, which a test beside it would lower")
class PythonTaskTest {

    static final String SHOP = """
            \"\"\"Tasks of a shop, for the lab's test.\"\"\"
            import asyncio
            import time

            def lookup(i):
                \"\"\"Waits 20 ms as a query to the shop's database would.\"\"\"
                time.sleep(0.02)
                return i

            async def lookup_async(i):
                await asyncio.sleep(0.02)
                return i

            def lookup_check(results):
                if results != list(range(len(results))):
                    raise ValueError("the answers came back out of order")

            lookup_params = {"tasks": 10}

            def price(i):
                \"\"\"Computes a price the slow way.\"\"\"
                return sum(x * x for x in range(100_000)) + i

            price_params = {"tasks": 4}

            def wrong(i):
                return i + 1

            def wrong_check(results):
                raise AssertionError("unit 0 answered %d, not 0" % results[0])

            wrong_params = {"tasks": 2}

            def broken(i):
                raise KeyError("no order %d" % i)

            broken_params = {"tasks": 2}

            def hangs(i):
                time.sleep(600)

            hangs_params = {"tasks": 2}
            """;

    @Test
    void a_python_function_runs_under_every_python_model_with_its_async_variant_check_and_learnt_kind(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("shop.py"), SHOP);
        Path out = dir.resolve("shop.json");
        var r = conlab("run", "--python-task", "shop:lookup", "--python-task", "shop:price", "--python-path", dir.toString(),
                "--python", "/usr/bin/python3", "--suite", "smoke", "--no-progress", "--no-machine-probe", "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        RunDocument doc = Json.MAPPER.readValue(out.toFile(), RunDocument.class);
        assertThat(doc.jvm()).as("only the Python tasks run: no JVM target").isNull();
        for (CellResult c : doc.results()) {
            assertThat(c.status()).as(c.workload() + " × " + c.model() + ": " + c.error()).isIn(CellStatus.OK, CellStatus.UNSUPPORTED);
        }
        assertThat(doc.results()).extracting(CellResult::workload).containsOnly("lookup", "price");
        // asyncio awaits lookup_async: ten 20 ms waits at once, not one after another inline
        var asyncio = doc.results().stream().filter(c -> c.workload().equals("lookup") && c.model().equals("asyncio")).findFirst().orElseThrow();
        assertThat(asyncio.samples().get(0).wallNanos()).isLessThan(100_000_000L);
        var task = doc.task("lookup");
        assertThat(task.language()).isEqualTo("python");
        assertThat(task.entry()).isEqualTo("shop:lookup");
        assertThat(task.file()).isEqualTo("shop.py");
        assertThat(task.sha256()).isEqualTo(dev.conlab.bench.TaskInfo.sha256(dir.resolve("shop.py")));
        assertThat(task.summary()).isEqualTo("Waits 20 ms as a query to the shop's database would.");
        var answers = new HashMap<String, WorkAnswers>();
        WorkAnswers.of(doc).forEach(a -> answers.put(a.workload(), a));
        assertThat(answers.get("lookup").workKind()).isEqualTo("waiting");
        // which of the all-at-once models is fastest is noise at this size; that one of them is, and serial is not, is not
        assertThat(answers.get("lookup").recommended()).doesNotContain("serial")
                .containsAnyOf("asyncio", "uvloop", "gevent", "threading");
        assertThat(answers.get("price").workKind()).isEqualTo("cpu");
        assertThat(r.out()).contains(answers.get("lookup").sentence());
    }

    @Test
    void without_python_a_python_task_runs_on_python3(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("shop.py"), SHOP);
        Path out = dir.resolve("plain.json");
        var r = conlab("run", "--python-task", "shop:lookup", "--python-path", dir.toString(), "--suite", "smoke", "--models", "serial",
                "--no-progress", "--no-machine-probe", "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        RunDocument doc = Json.MAPPER.readValue(out.toFile(), RunDocument.class);
        assertThat(doc.python()).as("measured on the python3 of the PATH").isNotNull();
        assertThat(doc.results()).extracting(CellResult::workload).containsOnly("lookup");
    }

    @Test
    void a_python_task_that_cannot_be_used_is_one_sentence_and_exit_code_2(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("shop.py"), SHOP);
        var missing = conlab("run", "--python-task", "shop:nothing", "--python-path", dir.toString(), "--python", "/usr/bin/python3");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("shop has no function nothing");
        var noModule = conlab("run", "--python-task", "nowhere:f", "--python-path", dir.toString(), "--python", "/usr/bin/python3");
        assertThat(noModule.code()).isEqualTo(2);
        assertThat(noModule.err()).contains("cannot import nowhere").contains("--python-path");
        var bad = conlab("run", "--python-task", "shop", "--python-path", dir.toString(), "--python", "/usr/bin/python3");
        assertThat(bad.err()).contains("is not MODULE:FUNCTION");
        var clash = conlab("run", "--python-task", "shop:lookup", "--python-path", dir.resolve("nope").toString());
        assertThat(clash.err()).contains("is not a directory");
    }
}
