package dev.conlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's outbox on a real folder: what one process queued, the next one finds, in order; what was answered is gone. */
class OutboxTest {

    @TempDir
    Path dir;

    @Test
    void reports_survive_the_process_in_order_and_leave_the_disk_once_answered() throws Exception {
        Outbox first = Outbox.open(dir);
        first.add(new Outbox.Report(7, "POST", "/runs/7/started", "{\"a\":1}", false));
        first.add(new Outbox.Report(7, "PUT", "/runs/7/cells/0", "{\"b\":2}", false));
        first.add(new Outbox.Report(8, "PUT", "/runs/8/cells/0", "{\"c\":3}", true));
        first.remove(); // the server answered the first
        Files.writeString(dir.resolve("000000000099.json.tmp"), "{half"); // a write a kill cut short: never queued
        assertThatThrownBy(() -> Outbox.open(dir)).as("a second agent on the same folder")
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("give each agent its own --data-dir");
        first.close();

        Outbox again = Outbox.open(dir); // the agent restarted
        assertThat(again.size()).isEqualTo(2);
        assertThat(again.runIds()).containsExactly(7L, 8L);
        assertThat(again.peek()).isEqualTo(new Outbox.Report(7, "PUT", "/runs/7/cells/0", "{\"b\":2}", false));
        assertThat(Files.exists(dir.resolve("000000000099.json.tmp"))).isFalse();
        again.add(new Outbox.Report(8, "POST", "/runs/8/end", "{}", true));
        again.remove();
        assertThat(again.peek().path()).isEqualTo("/runs/8/cells/0");
        again.remove();
        assertThat(again.peek().path()).as("queued after the restart, sent after what was owed").isEqualTo("/runs/8/end");
        again.clear();
        assertThat(again.isEmpty()).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> !f.getFileName().toString().equals(".lock")).toList()).isEmpty();
        }
    }
}
