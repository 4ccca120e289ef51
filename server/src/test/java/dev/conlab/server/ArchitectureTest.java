package dev.conlab.server;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture of docs/ARCHITECTURE.md as rules over the main class files of every module (bench, db, web,
 * server): no package depends on itself through others, the modules point one way, services never reach into HTTP,
 * HTTP classes call services and never each other, and nothing depends back up on the app or the CLI.
 * Generated code (jOOQ's classes) is left out: it is not ours to arrange.
 */
class ArchitectureTest {

    /** Main code only: no test classes, no test jars, no generated jOOQ classes. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
            .importPackages("dev.conlab")
            .that(com.tngtech.archunit.base.DescribedPredicate.not(
                    com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("dev.conlab.db.jooq..")));

    /** Every package is its own slice (the root packages too, which ArchUnit's patterns would leave out). */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
            return "each package of dev.conlab";
        }
    };

    @Test
    void the_rules_see_the_main_classes_of_every_module_and_no_test_class() {
        org.assertj.core.api.Assertions.assertThat(MAIN.contain(App.class)).isTrue();
        org.assertj.core.api.Assertions.assertThat(MAIN.contain(dev.conlab.bench.Catalog.class)).isTrue();
        org.assertj.core.api.Assertions.assertThat(MAIN.contain(dev.conlab.db.RunStore.class)).isTrue();
        org.assertj.core.api.Assertions.assertThat(MAIN.contain(dev.conlab.web.Views.class)).isTrue();
        org.assertj.core.api.Assertions.assertThat(MAIN.contain(dev.conlab.cli.Main.class)).isTrue();
        org.assertj.core.api.Assertions.assertThat(MAIN.stream().map(JavaClass::getName)).doesNotContain(
                ArchitectureTest.class.getName(), "dev.conlab.bench.WorkerIT", "dev.conlab.bench.TestDocuments", "dev.conlab.db.TestDatabases")
                .noneMatch(name -> name.startsWith("dev.conlab.bench.fixture"));
    }

    @Test
    void no_package_of_bench_db_web_or_server_is_part_of_a_cycle() {
        ArchRule rule = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();
        rule.check(MAIN);
    }

    @Test
    void the_modules_point_one_way_server_to_web_db_bench_and_db_to_bench() {
        noClasses().that().resideInAPackage("dev.conlab.bench..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.conlab.db..", "dev.conlab.web..", "dev.conlab.server..", "dev.conlab.cli..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.conlab.db..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.conlab.web..", "dev.conlab.server..", "dev.conlab.cli..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.conlab.web..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.conlab.server..", "dev.conlab.cli..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.conlab.server..")
                .should().dependOnClassesThat().resideInAPackage("dev.conlab.cli..")
                .check(MAIN);
    }

    @Test
    void services_know_nothing_of_http() {
        noClasses().that().resideInAnyPackage("dev.conlab.server.core..", "dev.conlab.server.runs..", "dev.conlab.server.compare..",
                        "dev.conlab.server.queue..", "dev.conlab.server.fleet..", "dev.conlab.server.history..",
                        "dev.conlab.server.claims..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "dev.conlab.server.http..", "dev.conlab.server.api..",
                        "dev.conlab.server.web..", "dev.conlab.web..")
                .check(MAIN);
    }

    @Test
    void http_classes_call_services_never_each_other_and_nothing_depends_back_up_on_the_app() {
        noClasses().that().resideInAPackage("dev.conlab.server.api..")
                .should().dependOnClassesThat().resideInAPackage("dev.conlab.server.web..").check(MAIN);
        noClasses().that().resideInAPackage("dev.conlab.server.web..")
                .should().dependOnClassesThat().resideInAPackage("dev.conlab.server.api..").check(MAIN);
        noClasses().that().resideOutsideOfPackage("dev.conlab.server").and().resideInAPackage("dev.conlab.server..")
                .should().dependOnClassesThat().resideInAPackage("dev.conlab.server").check(MAIN);
    }

    /**
     * Rule 8: refusals are mapped once. No main class but {@code App} sets a status that is not a success: handlers set
     * 201/204 (and a page cache 304); every 4xx and 5xx comes from App's mapping of what was thrown.
     */
    @Test
    void only_the_app_maps_refusals_to_statuses() throws java.io.IOException {
        var offenders = new java.util.ArrayList<String>();
        for (String module : java.util.List.of("server", "web")) {
            try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("..", module, "src", "main", "java"))) {
                for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (file.getFileName().toString().equals("App.java")) continue;
                    String text = java.nio.file.Files.readString(file);
                    for (int at = text.indexOf(".status("); at >= 0; at = text.indexOf(".status(", at + 1)) {
                        int depth = 0;
                        int end = at + ".status(".length();
                        while (end < text.length() && (depth > 0 || text.charAt(end) != ')')) {
                            if (text.charAt(end) == '(') depth++;
                            if (text.charAt(end) == ')') depth--;
                            end++;
                        }
                        String arg = text.substring(at + ".status(".length(), end).strip();
                        // success: every status the expression can give is a literal below 400 (`created ? 201 : 200`)
                        var codes = java.util.regex.Pattern.compile("\\b\\d{3}\\b").matcher(arg).results()
                                .map(r -> Integer.parseInt(r.group())).toList();
                        boolean success = !codes.isEmpty() && codes.stream().allMatch(c -> c < 400) && !arg.contains("status");
                        if (!arg.isEmpty() && !success) offenders.add(file.getFileName() + ": .status(" + arg + ")");
                    }
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(offenders).as("statuses set outside App (rule 8 of docs/ARCHITECTURE.md)").isEmpty();
    }
}
