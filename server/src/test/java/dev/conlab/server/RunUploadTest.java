package dev.conlab.server;

import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TestDatabases;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** conlab run --upload measures here and stores the document on a real server. */
class RunUploadTest {

    private static int conlab(StringWriter out, StringWriter err, String... args) {
        CommandLine cmd = dev.conlab.cli.Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void a_run_uploads_its_document_and_a_bad_token_is_refused_with_the_servers_reason() throws Exception {
        try (Database database = TestDatabases.all().get(0).open().get()) {
            Lab lab = Lab.over(database);
            String token = lab.tokens().create("runner", Set.of(Scope.UPLOAD));
            Javalin app = App.create(lab).start("127.0.0.1", 0);
            try {
                String url = "http://127.0.0.1:" + app.port();
                var out = new StringWriter();
                var err = new StringWriter();
                int code = conlab(out, err, "run", "--suite", "smoke", "--workloads", "sleep-io", "--models", "sequential",
                        "--warmups", "0", "--iterations", "1", "--no-progress", "--upload", url, "--token", token);
                assertThat(code).as(err.toString()).isZero();
                assertThat(out.toString()).contains("uploaded as " + url + "/api/runs/1");
                assertThat(lab.runs().count()).isEqualTo(1);

                var out2 = new StringWriter();
                var err2 = new StringWriter();
                int refused = conlab(out2, err2, "run", "--suite", "smoke", "--workloads", "sleep-io", "--models", "sequential",
                        "--warmups", "0", "--iterations", "1", "--no-progress", "--upload", url, "--token", "clb_wrong");
                assertThat(refused).isEqualTo(1);
                assertThat(err2.toString()).contains("refused (HTTP 401)").contains("unknown or revoked");
                assertThat(lab.runs().count()).isEqualTo(1);
            } finally {
                app.stop();
            }
        }
    }
}
