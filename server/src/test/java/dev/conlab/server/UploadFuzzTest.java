package dev.conlab.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.conlab.db.Database;
import dev.conlab.db.RunStore;
import dev.conlab.server.core.LabException;
import dev.conlab.server.runs.Ingest;
import org.jooq.impl.DSL;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upload path from raw bytes to a real H2 file database, fuzzed by Jazzer: whatever the bytes, they end as
 * a stored run (its run row, all of its cells, and its document — which keeps the samples; no sample rows are written for
 * an upload) or as a refusal with at least one problem that has a JSON path
 * and a sentence — never another exception, never a partial write.
 *
 * <p>{@code ./mvnw verify} replays the committed inputs ({@code src/test/resources/dev/conlab/server/UploadFuzzTestInputs})
 * with the other unit tests, then fuzzes from them for a bounded number of runs with a fixed seed (the surefire
 * execution {@code fuzz}: {@code conlab.fuzz.runs} inputs from seed {@code conlab.fuzz.seed}), so the build explores the
 * same inputs every time and cannot turn red by luck. Open-ended exploration with a random seed is
 * {@code server/perf/fuzz.sh}; a finding is written into the inputs folder: fix it and commit the input with the fix,
 * and every build replays it from then on.
 */
class UploadFuzzTest {

    private static final class Store {
        static final Database DATABASE;
        static final RunStore RUNS;
        static final Ingest INGEST;

        static {
            try {
                Path dir = Files.createTempDirectory("conlab-fuzz");
                DATABASE = Database.open(Database.h2Url(dir), "sa", "");
                RUNS = new RunStore(DATABASE);
                INGEST = new Ingest(RUNS);
            } catch (Exception e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private static long[] counts() {
        var dsl = Store.DATABASE.dsl();
        return new long[]{dsl.fetchCount(DSL.table("run")), dsl.fetchCount(DSL.table("cell")), dsl.fetchCount(DSL.table("sample"))};
    }

    @FuzzTest(maxDuration = "10m") // the build bounds it by runs (pom.xml); the duration only stops a runaway
    void any_bytes_end_as_a_stored_run_or_a_refusal_with_reasons(byte[] body) {
        long[] before = counts();
        try {
            String text = Ingest.decode(body);
            Ingest.Outcome outcome = Store.INGEST.store(text, RunStore.Source.UPLOAD);
            long[] after = counts();
            if (outcome.stored().created()) {
                int cells = outcome.document().results().size();
                // a run stored with its document keeps its samples in the document: no sample rows
                assertThat(after).containsExactly(before[0] + 1, before[1] + cells, before[2]);
                assertThat(Store.RUNS.documentJson(outcome.stored().runId())).hasValue(text);
            } else {
                assertThat(after).containsExactly(before);
            }
        } catch (LabException.Invalid e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> {
                assertThat(p.path()).startsWith("$");
                assertThat(p.message()).isNotBlank();
            });
            assertThat(counts()).containsExactly(before);
        } catch (LabException.Conflict e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(counts()).containsExactly(before);
        }
    }
}
