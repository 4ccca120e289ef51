package dev.conlab.bench.jmh;

import dev.conlab.bench.CellStatus;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.Sample;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The JMH file → result document mapping on hand-made entries; the real JMH 1.37 files are the server's JmhImportTest. */
class JmhImportTest {

    private static final MachineInfo MACHINE = new MachineInfo("abc", "box", "box", null, null, null, null);
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private static String entry(String benchmark, String mode, String unit, String score, String raw, String extra) {
        return "{\"jmhVersion\":\"1.36\",\"benchmark\":\"" + benchmark + "\",\"mode\":\"" + mode + "\",\"threads\":1,\"forks\":2,"
                + "\"jvm\":\"/usr/bin/java\",\"jvmArgs\":[\"-XX:+UseParallelGC\"],\"jdkVersion\":\"1.8.0_392\",\"vmName\":\"OpenJDK\","
                + "\"vmVersion\":\"25.392\",\"warmupIterations\":1,\"measurementIterations\":2,"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":\"NaN\",\"scoreConfidence\":[\"NaN\",\"NaN\"],"
                + "\"scoreUnit\":\"" + unit + "\"," + raw + "}" + extra + "}";
    }

    @Test
    void old_jmh_files_lose_the_dot_prefix_keep_nan_scores_and_give_jdk_8_its_feature() {
        String text = "[" + entry("a.b.Bench.run", "thrpt", "ops/s", "\"NaN\"", "\"rawData\":[[1.0,2.0],[3.0,\"NaN\"]]",
                ",\"secondaryMetrics\":{\"\u00B7gc.alloc.rate.norm\":{\"score\":16.0,\"scoreError\":0.0,\"scoreUnit\":\"B/op\"}}") + "]";
        var result = JmhImport.convert(text, MACHINE, AT, "old.json");
        assertThat(result.problems()).isEmpty();
        var doc = result.document();
        assertThat(doc.suite()).isEqualTo("jmh");
        assertThat(doc.jvm().feature()).isEqualTo(8);
        assertThat(doc.jvm().gc()).isEqualTo("Parallel");
        var cell = doc.results().get(0);
        assertThat(cell.workload()).isEqualTo("Bench.run");
        assertThat(cell.model()).isEqualTo("thrpt");
        assertThat(cell.higherIsBetter()).isTrue();
        assertThat(cell.jmh().score()).isNaN();
        assertThat(cell.jmh().secondaryMetrics()).containsOnlyKeys("gc.alloc.rate.norm");
        // the NaN iteration is no sample; the others are, by fork
        assertThat(cell.samples()).extracting(Sample::value).containsExactly(1.0, 2.0, 3.0);
        assertThat(cell.samples()).extracting(Sample::fork).containsExactly(0, 0, 1);
        assertThat(JmhImport.convert(text, MACHINE, AT, "old.json").document().id()).isEqualTo(doc.id());
    }

    @Test
    void sample_mode_takes_each_iterations_histogram_mean_and_a_benchmark_without_results_is_failed() {
        String sample = entry("p.C.m", "sample", "us/op", "2.0", "\"rawDataHistogram\":[[[[1.0,3],[5.0,1]],[[2.0,2]]]]", "");
        String none = entry("p.C.n", "avgt", "us/op", "\"NaN\"", "\"rawData\":[[\"NaN\"]]", "");
        var doc = JmhImport.convert("[" + sample + "," + none + "]", MACHINE, AT, null).document();
        assertThat(doc.results().get(0).samples()).extracting(Sample::value).containsExactly(2.0, 2.0);
        assertThat(doc.results().get(0).higherIsBetter()).isFalse();
        assertThat(doc.results().get(1).status()).isEqualTo(CellStatus.FAILED);
        assertThat(doc.results().get(1).error()).contains("no finite result");
    }

    @Test
    void every_problem_is_named_by_its_path() {
        String bad = entry("not a name", "fast", "ops/s", "\"many\"", "\"rawData\":[[1.0,true]]", ",\"params\":{\"size\":[1]}");
        var problems = JmhImport.convert("[" + bad + "]", MACHINE, AT, null).problems();
        assertThat(problems).extracting(JmhImport.Problem::path).containsExactlyInAnyOrder("$[0].benchmark", "$[0].mode",
                "$[0].primaryMetric.score", "$[0].primaryMetric.rawData[0][1]", "$[0].params.size");
        assertThat(JmhImport.convert("{}", MACHINE, AT, null).problems().get(0).message()).contains("JSON array");
        assertThat(JmhImport.convert("[1,", MACHINE, AT, null).problems().get(0).message()).startsWith("not valid JSON");
        String twice = entry("p.C.m", "avgt", "us/op", "1.0", "\"rawData\":[[1.0]]", "");
        assertThat(JmhImport.convert("[" + twice + "," + twice + "]", MACHINE, AT, null).problems().get(0).message()).contains("repeats $[0]");
        assertThat(JmhImport.looksLikeJmh("\uFEFF  [ {\"jmhVersion\": \"1.37\", \"benchmark\": \"a.B.c\"")).isTrue();
        assertThat(JmhImport.looksLikeJmh("[[[[1]]]]")).isFalse();
        assertThat(JmhImport.looksLikeJmh("[1, 2]")).isFalse();
        assertThat(JmhImport.looksLikeJmh("{\"schema\"")).isFalse();
    }
}
