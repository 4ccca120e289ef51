package dev.conlab.cli;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static dev.conlab.cli.RunCommandTest.conlab;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Your own work under every model (issue #27): a task jar built with nothing but javac against `conlab api-jar`'s jar,
 * measured by `conlab run --task-jar` in real forked worker JVMs (and the processes model's child JVMs).
 */
@Isolated("a task's kind is learnt from its CPU ÷ wall time, which a test beside it would lower")
public class TaskJarTest {

    public static final String SLEEPER = """
            package mine;
            public final class Sleeper implements dev.conlab.api.Task {
                public Object run(int index) throws Exception {
                    Thread.sleep(20);
                    return index;
                }
                public void check(java.util.List<Object> results) {
                    for (int i = 0; i < results.size(); i++) {
                        if (!Integer.valueOf(i).equals(results.get(i))) throw new IllegalStateException("unit " + i + " answered " + results.get(i));
                    }
                }
                public java.util.Map<String, Long> parameters() {
                    return java.util.Map.of("tasks", 40L);
                }
            }
            """;

    static final String SPINNER = """
            package mine;
            public final class Spinner implements dev.conlab.api.Task {
                public Object run(int index) {
                    long x = index;
                    for (int i = 0; i < 3_000_000; i++) x = x * 6364136223846793005L + 1442695040888963407L;
                    return x;
                }
            }
            """;

    static final String BROKEN = """
            package mine;
            public final class Broken implements dev.conlab.api.Task {
                public Object run(int index) {
                    if (index == 3) throw new IllegalStateException("unit 3 cannot");
                    return index;
                }
            }
            """;

    /** A jar of the given classes (name → source) and their services file, compiled against the API jar alone. */
    public static Path taskJar(Path dir, Map<String, String> sources) throws IOException {
        var api = conlab("api-jar");
        assertThat(api.code()).as(api.err()).isZero();
        Path apiJar = Path.of(api.out().strip());
        assertThat(apiJar.getFileName().toString()).startsWith("conlab-api").endsWith(".jar");
        Path src = Files.createDirectories(dir.resolve("src/mine"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        var files = new java.util.ArrayList<String>();
        for (var e : sources.entrySet()) {
            Path file = src.resolve(e.getKey() + ".java");
            Files.writeString(file, e.getValue());
            files.add(file.toString());
        }
        var out = new ByteArrayOutputStream();
        var args = new java.util.ArrayList<String>(java.util.List.of("--release", "17", "-cp", apiJar.toString(), "-d", classes.toString()));
        args.addAll(files);
        int code = ToolProvider.getSystemJavaCompiler().run(null, out, out, args.toArray(String[]::new));
        assertThat(code).as(out.toString()).isZero();
        Path jar = dir.resolve("my-tasks.jar");
        try (var jos = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : sources.keySet()) {
                jos.putNextEntry(new JarEntry("mine/" + name + ".class"));
                jos.write(Files.readAllBytes(classes.resolve("mine/" + name + ".class")));
            }
            jos.putNextEntry(new JarEntry("META-INF/services/dev.conlab.api.Task"));
            jos.write(String.join("\n", sources.keySet().stream().map(n -> "mine." + n).toList()).concat("\n").getBytes());
        }
        return jar;
    }

    @Test
    void a_task_jar_built_with_javac_runs_under_every_model_it_asks_for(@TempDir Path dir) throws Exception {
        Path jar = taskJar(dir, Map.of("Sleeper", SLEEPER, "Broken", BROKEN, "Spinner", SPINNER));
        Path out = dir.resolve("mine.json");
        var r = conlab("run", "--task-jar", jar.toString(), "--suite", "smoke", "--workloads", "sleeper,broken,spinner",
                "--models", "sequential,fixed-pool,virtual-threads,processes", "--no-progress", "--no-machine-probe", "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
        RunDocument doc = Json.MAPPER.readValue(out.toFile(), RunDocument.class);
        for (CellResult c : doc.results()) {
            if (c.workload().equals("sleeper") || c.workload().equals("spinner")) {
                assertThat(c.status()).as(c.model() + ": " + c.error()).isEqualTo(CellStatus.OK);
                assertThat(c.params()).containsEntry("tasks", 10);
                // the kind, learnt from T₁'s CPU ÷ wall time: the sleeper waits, the spinner computes; the ideal follows
                assertThat(c.idealFormula()).as(c.workload() + " × " + c.model()).startsWith("learnt from T₁")
                        .contains(c.workload().equals("sleeper") ? "it waits" : "it computes");
                assertThat(c.idealNanos()).as(c.workload() + " × " + c.model()).isPositive();
            } else {
                // a unit that throws: the cell fails with the exception's class and message, and the run goes on
                assertThat(c.status()).as(c.model()).isEqualTo(CellStatus.FAILED);
                assertThat(c.error()).contains("IllegalStateException").contains("unit 3 cannot");
            }
        }
        assertThat(doc.results()).extracting(CellResult::workload).contains("sleeper", "broken", "spinner");
        var t1 = doc.oneThread().stream().filter(o -> o.workload().equals("sleeper")).findFirst().orElseThrow();
        assertThat(t1.cpuShare()).as("a sleeping task's T₁ barely uses the CPU").isLessThan(0.2);
        var spin = doc.oneThread().stream().filter(o -> o.workload().equals("spinner")).findFirst().orElseThrow();
        assertThat(spin.cpuShare()).as("a computing task's T₁ uses one CPU").isGreaterThan(0.8);
        // ten 20 ms units: one after another ~200 ms, on virtual threads all at once ~20 ms
        double sequential = median(doc, "sleeper", "sequential");
        double virtual = median(doc, "sleeper", "virtual-threads");
        assertThat(sequential).isGreaterThan(190e6);
        assertThat(virtual).isLessThan(sequential / 3);
        // the document carries the task: its class, its jar's name and SHA-256, its parameters; no stated kind
        var sleeper = doc.task("sleeper");
        assertThat(sleeper.language()).isEqualTo("java");
        assertThat(sleeper.entry()).isEqualTo("mine.Sleeper");
        assertThat(sleeper.file()).isEqualTo("my-tasks.jar");
        assertThat(sleeper.sha256()).isEqualTo(dev.conlab.bench.TaskInfo.sha256(jar)).hasSize(64);
        assertThat(sleeper.kind()).isNull();
        // the answer: the sleeper waits and virtual threads are among the fastest; the spinner computes
        var answers = dev.conlab.bench.stats.WorkAnswers.of(doc);
        var waits = answers.stream().filter(a -> a.workload().equals("sleeper")).findFirst().orElseThrow();
        assertThat(waits.workKind()).isEqualTo("waiting");
        assertThat(waits.recommended()).contains("virtual-threads").doesNotContain("sequential");
        assertThat(waits.sentence()).startsWith("Your task waits").contains("size pools by tasks, not by cores");
        var computes = answers.stream().filter(a -> a.workload().equals("spinner")).findFirst().orElseThrow();
        assertThat(computes.workKind()).isEqualTo("cpu");
        assertThat(computes.sentence()).startsWith("Your task computes");
        assertThat(r.out()).as("the CLI's summary says the answer").contains(waits.sentence());
        // the task is in the catalog of that run, and a bad jar is one sentence with exit code 2
        var missing = conlab("run", "--task-jar", dir.resolve("nope.jar").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no task jar at").contains("api-jar");
    }

    public static final String WRONG = """
            package mine;
            public final class Wrong implements dev.conlab.api.Task {
                public Object run(int index) { return index + 1; }
                public void check(java.util.List<Object> results) {
                    if (!results.get(0).equals(0)) throw new IllegalStateException("unit 0 answered " + results.get(0) + ", not 0");
                }
                public java.util.Map<String, Long> parameters() { return java.util.Map.of("tasks", 4L); }
            }
            """;

    public static final String HANGER = """
            package mine;
            public final class Hanger implements dev.conlab.api.Task {
                public Object run(int index) throws Exception { Thread.sleep(600_000); return index; }
                public java.util.Map<String, Long> parameters() { return java.util.Map.of("tasks", 2L); }
            }
            """;

    @Test
    void a_task_whose_id_is_not_kebab_case_is_refused_with_its_sentence(@TempDir Path dir) throws Exception {
        Path jar = taskJar(dir, Map.of("Odd", """
                package mine;
                public final class Odd implements dev.conlab.api.Task {
                    public Object run(int index) { return index; }
                    public String id() { return "My_Task"; }
                }
                """));
        var r = conlab("catalog", "--task-jar", jar.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("the task mine.Odd has the id 'My_Task'").contains("kebab-case");
    }

    private static double median(RunDocument doc, String workload, String model) {
        var c = doc.results().stream().filter(r -> r.workload().equals(workload) && r.model().equals(model)).findFirst().orElseThrow();
        var walls = c.samples().stream().mapToDouble(s -> s.wallNanos()).sorted().toArray();
        return walls[walls.length / 2];
    }
}
