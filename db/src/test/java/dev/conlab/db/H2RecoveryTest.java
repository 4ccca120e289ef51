package dev.conlab.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link H2Recovery} on real H2 files. A copy of an open database's file is what a SIGKILL at that moment leaves (every
 * write H2 made is in it); the copy is then opened as a restarted server opens its file.
 */
class H2RecoveryTest {

    @TempDir
    Path dir;

    @Test
    void the_file_of_an_h2_url() {
        assertThat(H2Recovery.fileOf("jdbc:h2:file:/x/conlab;WRITE_DELAY=0;AUTO_SERVER=TRUE")).contains(Path.of("/x/conlab.mv.db"));
        assertThat(H2Recovery.fileOf("jdbc:h2:/x/y")).contains(Path.of("/x/y.mv.db"));
        assertThat(H2Recovery.fileOf("jdbc:h2:./data/conlab")).contains(Path.of("./data/conlab.mv.db"));
        assertThat(H2Recovery.fileOf("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isEmpty();
        assertThat(H2Recovery.fileOf("jdbc:h2:tcp://localhost/~/x")).isEmpty();
        assertThat(H2Recovery.fileOf("jdbc:postgresql://localhost/conlab")).isEmpty();
    }

    @Test
    void a_file_closed_cleanly_is_left_to_h2_and_a_missing_one_is_nothing_to_do() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("clean") + ";WRITE_DELAY=0";
        try (var c = DriverManager.getConnection(url, "sa", ""); var s = c.createStatement()) {
            s.execute("create table t(id int primary key)");
            s.execute("insert into t values (1)");
        }
        assertThat(H2Recovery.closedCleanly(dir.resolve("clean.mv.db"))).isTrue();
        H2Recovery.Outcome outcome = H2Recovery.recoverIfUnclean(url);
        assertThat(outcome.recovered()).isFalse();
        assertThat(outcome.describe()).isNull();
        assertThat(H2Recovery.recoverIfUnclean("jdbc:h2:file:" + dir.resolve("none")).why()).isEqualTo("no file yet");
    }

    @Test
    void a_killed_file_is_scanned_whole_and_opens_with_every_commit_it_acknowledged() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("live") + ";WRITE_DELAY=0";
        try (var c = DriverManager.getConnection(url, "sa", ""); var s = c.createStatement()) {
            s.execute("create table t(id int primary key, v varchar(100000))");
        }
        Path killed = Files.createDirectories(dir.resolve("killed")).resolve("x.mv.db");
        try (var c = DriverManager.getConnection(url, "sa", ""); var insert = c.prepareStatement("insert into t values (?, ?)")) {
            for (int i = 1; i <= 40; i++) {
                insert.setInt(1, i);
                insert.setString(2, "x".repeat(i % 3 == 0 ? 30_000 : 10));
                insert.executeUpdate();
            }
            Files.copy(dir.resolve("live.mv.db"), killed, StandardCopyOption.REPLACE_EXISTING); // the process dies here
        }
        assertThat(H2Recovery.closedCleanly(killed)).as("a live file's header has no clean mark").isFalse();
        String killedUrl = "jdbc:h2:file:" + killed.toString().replace(".mv.db", "") + ";WRITE_DELAY=0";

        H2Recovery.Outcome outcome = H2Recovery.recoverIfUnclean(killedUrl);

        assertThat(outcome.recovered()).isTrue();
        assertThat(outcome.describe()).contains("not closed cleanly").contains("scanned it whole");
        assertThat(H2Recovery.closedCleanly(killed)).as("recovery leaves a clean header").isTrue();
        try (var c = DriverManager.getConnection(killedUrl, "sa", ""); var s = c.createStatement();
             var rs = s.executeQuery("select count(*), max(id) from t")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(40);
            assertThat(rs.getInt(2)).isEqualTo(40);
        }
        assertThat(H2Recovery.recoverIfUnclean(killedUrl).recovered()).as("the next open is an ordinary one").isFalse();
    }

    @Test
    void a_file_another_process_holds_open_is_not_touched() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("held") + ";WRITE_DELAY=0";
        try (var c = DriverManager.getConnection(url, "sa", ""); var s = c.createStatement()) {
            s.execute("create table t(id int primary key)");
            s.execute("insert into t values (1)");
            // open here, so its lock is held; its header is unclean while it lives
            H2Recovery.Outcome outcome = H2Recovery.recoverIfUnclean(url);
            assertThat(outcome.recovered()).isFalse();
            assertThat(outcome.why()).isIn("open in another process", "closed cleanly");
            s.execute("insert into t values (2)");
        }
    }
}
