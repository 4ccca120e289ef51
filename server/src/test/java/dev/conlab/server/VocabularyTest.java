package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.ForkMode;
import dev.conlab.bench.Json;
import dev.conlab.bench.PythonCatalog;
import dev.conlab.bench.Settings;
import dev.conlab.bench.Suite;
import dev.conlab.bench.harness.Phase;
import dev.conlab.bench.jmh.JmhImport;
import dev.conlab.db.RunStatus;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One vocabulary (rule 6 of docs/ARCHITECTURE.md): each id and limit spelled in one place is the same wherever else it is
 * written — the enums against the SQL CHECKs and the document's schema, the CLI's help against the suites' real defaults,
 * the Python worker's catalog against the Java side, the schema's bounds against the settings'.
 */
class VocabularyTest {

    static final JsonNode SCHEMA;

    static {
        try (var in = VocabularyTest.class.getResourceAsStream("/conlab.run-1.schema.json")) {
            SCHEMA = Json.MAPPER.readTree(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> schemaEnum(JsonNode node) {
        var ids = new TreeSet<String>();
        node.get("enum").forEach(v -> {
            if (!v.isNull()) ids.add(v.asText());
        });
        return ids;
    }

    private static Set<String> sqlCheck(String constraint) throws Exception {
        var ids = new TreeSet<String>();
        try (var files = Files.list(Path.of("..", "db", "src", "main", "resources", "db", "migration"))) {
            for (Path f : files.sorted().toList()) {
                var m = Pattern.compile("CONSTRAINT " + constraint + " CHECK \\(status IN \\(([^)]*)\\)\\)").matcher(Files.readString(f));
                while (m.find()) {
                    ids.clear(); // a later migration's CHECK replaces an earlier one's
                    Arrays.stream(m.group(1).split(",")).map(s -> s.strip().replace("'", "")).forEach(ids::add);
                }
            }
        }
        return ids;
    }

    @Test
    void the_statuses_of_runs_and_cells_are_the_sql_checks_and_the_schemas() throws Exception {
        Set<String> cell = new TreeSet<>(Arrays.stream(CellStatus.values()).map(CellStatus::id).toList());
        assertThat(schemaEnum(SCHEMA.get("$defs").get("cell").get("properties").get("status"))).isEqualTo(cell);
        assertThat(sqlCheck("ck_cell_status")).isEqualTo(cell);
        // the statuses a run can be stored with (`cancelling` is shown, never stored)
        assertThat(sqlCheck("ck_run_status")).isEqualTo(new TreeSet<>(List.of(RunStatus.ids().split(", "))));
    }

    @Test
    void the_suites_and_fork_modes_of_the_schema_are_the_enums() {
        var suites = new TreeSet<>(Arrays.stream(Suite.values()).map(Suite::id).toList());
        suites.add(JmhImport.SUITE);
        assertThat(schemaEnum(SCHEMA.get("properties").get("suite"))).isEqualTo(suites);
        assertThat(schemaEnum(SCHEMA.get("$defs").get("settings").get("properties").get("forkMode")))
                .isEqualTo(new TreeSet<>(Arrays.stream(ForkMode.values()).map(ForkMode::id).toList()));
    }

    @Test
    void the_schemas_bounds_are_the_settings() {
        JsonNode settings = SCHEMA.get("$defs").get("settings").get("properties");
        assertThat(settings.get("warmups").get("maximum").asInt()).isEqualTo(Settings.MOST_WARMUPS);
        assertThat(settings.get("iterations").get("maximum").asInt()).isEqualTo(Settings.MOST_ITERATIONS);
        assertThat(settings.get("forks").get("maximum").asInt()).isEqualTo(Settings.MOST_FORKS);
        assertThat(settings.get("maxForks").get("maximum").asInt()).isEqualTo(Settings.MOST_FORKS);
        assertThat(settings.get("replacements").get("maximum").asInt()).isEqualTo(Settings.MOST_FORKS);
        assertThat(settings.get("cellTimeoutSeconds").get("maximum").asInt()).isEqualTo(Settings.MOST_CELL_TIMEOUT_SECONDS);
        assertThat(settings.get("targetCiPct").get("minimum").asDouble()).isEqualTo(Settings.LEAST_TARGET_CI_PCT);
        assertThat(settings.get("targetCiPct").get("maximum").asDouble()).isEqualTo(Settings.MOST_TARGET_CI_PCT);
    }

    /** The run form's number inputs bound what the settings bound (a browser refuses out of bounds before the server must). */
    @Test
    void the_run_forms_bounds_are_the_settings() throws Exception {
        String form = Files.readString(Path.of("..", "web", "src", "main", "jte", "overview.jte"));
        assertThat(bounds(form, "warmups")).isEqualTo("0.." + Settings.MOST_WARMUPS);
        assertThat(bounds(form, "iterations")).isEqualTo("1.." + Settings.MOST_ITERATIONS);
        assertThat(bounds(form, "forks")).isEqualTo("1.." + Settings.MOST_FORKS);
        assertThat(bounds(form, "maxForks")).isEqualTo("1.." + Settings.MOST_FORKS);
        assertThat(bounds(form, "targetCi")).isEqualTo(Settings.LEAST_TARGET_CI_PCT + ".." + (int) Settings.MOST_TARGET_CI_PCT);
    }

    private static String bounds(String form, String name) {
        var m = Pattern.compile("<input type=\"number\" name=\"" + name + "\" min=\"([^\"]+)\" max=\"([^\"]+)\"").matcher(form);
        assertThat(m.find()).as("the run form's input %s", name).isTrue();
        return m.group(1) + ".." + m.group(2);
    }

    /** The Python worker reports its iterations with the phases the JVM's harness uses ({@link Phase}'s ids). */
    @Test
    void the_python_workers_phases_are_the_harness_phases() throws Exception {
        String harness = Files.readString(Path.of("..", "bench", "src", "main", "resources", "dev", "conlab", "bench", "python",
                "conlab_worker", "harness.py"));
        var phases = new TreeSet<String>();
        var m = Pattern.compile("\"phase\": \"([^\"]+)\"").matcher(harness);
        while (m.find()) phases.add(m.group(1));
        assertThat(phases).isEqualTo(new TreeSet<>(List.of(Phase.WARMUP.id(), Phase.MEASURE.id())));
    }

    @Test
    void the_python_workers_error_cap_is_the_jvm_cells() {
        assertThat(PythonCatalog.errorCap()).isEqualTo(CellResult.MAX_ERROR_LENGTH);
    }

    /** Each suite's default as `conlab run --help` says it ("… 3 default, 5 seed …") is the suite's own. */
    @Test
    void conlab_run_help_says_every_suites_real_defaults() {
        var run = dev.conlab.cli.Main.commandLine().getSubcommands().get("run").getCommandSpec();
        var wrong = new ArrayList<String>();
        check(run.findOption("--warmups"), s -> s.defaultWarmups, wrong);
        check(run.findOption("--iterations"), s -> s.defaultIterations, wrong);
        check(run.findOption("--forks"), s -> s.defaultForks, wrong);
        check(run.findOption("--cell-timeout"), s -> s.defaultCellTimeoutSeconds, wrong);
        assertThat(wrong).as("conlab run --help against Suite").isEmpty();
    }

    private static void check(OptionSpec option, ToIntFunction<Suite> value, List<String> wrong) {
        String help = String.join(" ", option.description());
        for (Suite s : Suite.values()) {
            String said = value.applyAsInt(s) + " " + s.id();
            if (!Pattern.compile("\\b" + Pattern.quote(said) + "\\b").matcher(help).find()) {
                wrong.add(option.longestName() + " does not say \"" + said + "\": " + help);
            }
        }
    }
}
