package dev.conlab.cli;

import dev.conlab.bench.Json;
import dev.conlab.bench.RunDocument;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Isolated("it reads what the command writes to System.err, which is the whole process's")
class RunCommandTest {

    record Result(int code, String out, String err) {
    }

    static Result conlab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void bad_input_is_one_line_naming_the_valid_choices_with_exit_code_2_and_nothing_written(@TempDir Path dir) {
        Path file = dir.resolve("out.json");
        String[][] cases = {
                {"run", "--models", "green-threads"},
                {"run", "--workloads", "disk-io"},
                {"run", "--suite", "huge"},
                {"run", "-p", "sleep-io.bogus=1"},
                {"run", "-p", "sleep-io.tasks=-3"},
                {"run", "--jdk", dir.toString()},
                {"run", "--jdk", "8"},
                {"run", "--iterations", "0"},
        };
        for (String[] args : cases) {
            String[] withOut = java.util.Arrays.copyOf(args, args.length + 2);
            withOut[args.length] = "--out";
            withOut[args.length + 1] = file.toString();
            Result r = conlab(withOut);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("conlab: ").doesNotContain("\tat ");
            assertThat(r.err().strip().lines().count()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(file).doesNotExist();
        }
        assertThat(conlab("run", "--models", "green-threads").err()).contains("valid models: sequential, threads");
    }

    /** picocli formats every description with String.format: a lone percent sign prints a warning and the raw text. */
    @Test
    void every_help_text_formats_without_a_warning() {
        var stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream was = System.err;
        var names = new java.util.ArrayList<String>();
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            var commands = new java.util.ArrayDeque<CommandLine>(java.util.List.of(Main.commandLine()));
            while (!commands.isEmpty()) {
                CommandLine c = commands.pop();
                names.add(c.getCommandName());
                c.getUsageMessage();
                commands.addAll(c.getSubcommands().values());
            }
        } finally {
            System.setErr(was);
        }
        assertThat(names).contains("run", "doctor", "serve", "agent");
        assertThat(stderr.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("WARN");
        assertThat(conlab("run", "--help").out().replaceAll("\\s+", " ")).contains("95 % interval", "more than 10 % of the CPUs");
    }

    @Test
    void an_unknown_option_prints_usage_and_exits_2() {
        Result r = conlab("run", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void a_small_run_prints_its_summary_and_writes_the_result_document(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.json");
        Result r = conlab("run", "--suite", "smoke", "--workloads", "sleep-io", "--models", "sequential,threads",
                "--iterations", "2", "--warmups", "0", "--no-progress", "--out", file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sleep-io").contains("threads").contains("MEDIAN").contains("EFFICIENCY");
        RunDocument doc = Json.MAPPER.readValue(Files.readString(file), RunDocument.class);
        assertThat(doc.schema()).isEqualTo("conlab.run/1");
        assertThat(doc.results()).extracting(c -> c.status()).containsExactly(dev.conlab.bench.CellStatus.OK, dev.conlab.bench.CellStatus.OK);
        assertThat(doc.jvm().feature()).isEqualTo(Runtime.version().feature());
    }

    @Test
    void the_catalog_page_of_the_docs_is_the_output_of_catalog_markdown() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "CATALOG.md"));
        int begin = readme.indexOf("<!-- catalog:begin -->\n");
        int end = readme.indexOf("<!-- catalog:end -->");
        assertThat(begin).as("docs/CATALOG.md has the catalog markers").isPositive();
        assertThat(readme.substring(begin + "<!-- catalog:begin -->\n".length(), end))
                .as("docs/CATALOG.md is stale: paste the output of ./conlab catalog --markdown")
                .isEqualTo(conlab("catalog", "--markdown").out());
    }

    @Test
    void jdks_lists_the_running_jdk_and_catalog_lists_every_model() {
        assertThat(conlab("jdks").out()).contains(String.valueOf(Runtime.version().feature()));
        Result catalog = conlab("catalog", "--markdown");
        assertThat(catalog.out()).contains("| `virtual-threads` |").contains("| `sleep-io` |");
    }
}
