package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jooq.impl.DSL;

import static dev.conlab.db.jooq.Tables.CELL;
import static dev.conlab.db.jooq.Tables.SAMPLE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run queue where it needs real processes: a server process, worker JVMs on JDK 17 and 25 and their children,
 * SIGKILLs. The state machine itself (every transition, the run limit, retry) is RunQueueTest, without processes.
 */
class QueueIT {

    @TempDir
    Path data;

    private String token() {
        try (Database db = Database.open(Database.h2Url(data), "sa", "")) {
            return new TokenStore(db).create("queue-test", Set.of(Scope.QUEUE));
        }
    }

    private static List<Long> enqueue(ServerProcess server, String token, String request) throws Exception {
        JsonNode answer = server.json("POST", "/api/queue", token, request, 201);
        var ids = new ArrayList<Long>();
        answer.get("runs").forEach(r -> ids.add(r.get("id").asLong()));
        return ids;
    }

    /** Polls GET /api/runs/{id} until the condition holds (runs are smoke-sized; the limit only stops a broken test). */
    private static JsonNode await(ServerProcess server, long id, Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            run = server.get("/api/runs/" + id);
            if (condition.test(run)) return run;
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " never became " + what + "; last seen: " + run);
    }

    private static Predicate<JsonNode> status(String status) {
        return run -> run.get("run").get("status").asText().equals(status);
    }

    private static Predicate<JsonNode> ended() {
        return run -> !List.of("queued", "running").contains(run.get("run").get("status").asText());
    }

    /**
     * Whether a process still runs. A killed JVM whose parent is gone stays a zombie (state Z: no memory, no CPU,
     * only its process-table entry) until init reaps it — on this machine's init that takes up to a second or so.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) return false;
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false; // gone meanwhile
        }
    }

    @Test
    void a_run_queued_for_jdk_17_and_25_gives_two_runs_that_finish_in_order_with_their_cells_and_samples() throws Exception {
        String token = token();
        List<Long> ids;
        try (ServerProcess server = ServerProcess.start(data)) {
            JsonNode jdks = server.get("/api/jdks").get("jdks");
            assertThat(jdks.findValuesAsText("feature")).contains("17", "25");

            ids = enqueue(server, token, """
                    {"suite": "smoke", "workloads": ["sleep-io"], "models": ["sequential", "threads"], "jdks": ["17", "25"],
                     "iterations": 2, "warmups": 1}""");
            assertThat(ids).hasSize(2);
            JsonNode queue = server.get("/api/queue").get("runs");
            assertThat(queue.findValuesAsText("id")).containsExactly(String.valueOf(ids.get(0)), String.valueOf(ids.get(1)));

            JsonNode first = await(server, ids.get(0), status("done"), "done");
            JsonNode second = await(server, ids.get(1), status("done"), "done");
            assertThat(first.get("jvm").get("feature").asInt()).isEqualTo(17);
            assertThat(second.get("jvm").get("feature").asInt()).isEqualTo(25);
            // one run at a time, oldest first
            assertThat(OffsetDateTime.parse(first.get("run").get("finishedAt").asText()))
                    .isBeforeOrEqualTo(OffsetDateTime.parse(second.get("run").get("startedAt").asText()));
            for (JsonNode run : List.of(first, second)) {
                assertThat(run.get("cells")).hasSize(2);
                run.get("cells").forEach(cell -> {
                    assertThat(cell.get("status").asText()).isEqualTo("ok");
                    // two iterations of a clean fork (a fork the machine disturbed would be kept beside it, left out of "wall")
                    assertThat(cell.get("wall").get("n").asInt()).isEqualTo(2);
                });
            }
            JsonNode document = server.get("/api/runs/" + ids.get(1) + "/document");
            assertThat(document.get("jvm").get("feature").asInt()).isEqualTo(25);
            assertThat(server.get("/api/queue").get("runs")).isEmpty();
        }
        try (Database db = Database.open(Database.h2Url(data), "sa", "")) {
            for (long id : ids) {
                assertThat(db.dsl().fetchCount(CELL, CELL.RUN_ID.eq(id))).isEqualTo(2);
                // done: the samples are in the document, their count and statistics in the cell rows
                assertThat(db.dsl().select(DSL.sum(CELL.SAMPLES_N)).from(CELL).where(CELL.RUN_ID.eq(id)).fetchOne(0, Integer.class)).isEqualTo(4);
                assertThat(db.dsl().fetchCount(SAMPLE.join(CELL).on(CELL.ID.eq(SAMPLE.CELL_ID)), CELL.RUN_ID.eq(id))).isZero();
            }
        }
    }

    @Test
    void one_request_for_a_jdk_and_a_python_interpreter_queues_a_run_on_each_runtime_with_its_own_models() throws Exception {
        dev.conlab.bench.Required.orSkip(java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")), "Debian's /usr/bin/python3");
        String token = token();
        try (ServerProcess server = ServerProcess.start(data)) {
            JsonNode runtimes = server.get("/api/runtimes");
            assertThat(runtimes.get("pythons").findValuesAsText("path")).contains("/usr/bin/python3");
            List<Long> ids = enqueue(server, token, """
                    {"suite": "smoke", "workloads": ["sleep-io"], "models": ["threads", "asyncio", "threading"], "jdks": ["25"],
                     "pythons": ["/usr/bin/python3"], "iterations": 2, "warmups": 0}""");
            assertThat(ids).hasSize(2);
            JsonNode jvm = await(server, ids.get(0), status("done"), "done");
            JsonNode python = await(server, ids.get(1), status("done"), "done");
            assertThat(jvm.get("run").get("runtime").asText()).isEqualTo("jvm");
            assertThat(jvm.get("cells").findValuesAsText("model")).containsExactly("threads");
            assertThat(python.get("run").get("runtime").asText()).isEqualTo("python");
            assertThat(python.get("jvm").isNull()).isTrue();
            assertThat(python.get("python").get("executable").asText()).isEqualTo("/usr/bin/python3");
            assertThat(python.get("cells").findValuesAsText("model")).containsExactly("asyncio", "threading");
            python.get("cells").forEach(cell -> {
                assertThat(cell.get("status").asText()).isEqualTo("ok");
                assertThat(cell.get("samples").asInt()).isEqualTo(2);
            });
        }
    }

    @Test
    void cancelling_a_running_run_leaves_no_worker_or_child_jvm_alive_within_two_seconds() throws Exception {
        String token = token();
        try (ServerProcess server = ServerProcess.start(data)) {
            long id = enqueue(server, token, """
                    {"suite": "smoke", "workloads": ["sleep-io"], "models": ["threads", "processes"], "jdks": ["25"],
                     "params": {"sleep-io.latencyMs": 1000, "sleep-io.tasks": 4, "processes.workers": 2},
                     "warmups": 0, "iterations": 3, "cellTimeoutSeconds": 120}""").get(0);
            // wait until the processes cell runs and its child JVMs are up
            List<ProcessHandle> jvms = new ArrayList<>();
            await(server, id, run -> {
                JsonNode progress = run.get("progress");
                if (progress == null || progress.get("currentCell") == null || progress.get("workerPid").isNull()) return false;
                if (!progress.get("currentCell").get("model").asText().equals("processes")) return false;
                var worker = ProcessHandle.of(progress.get("workerPid").asLong());
                if (worker.isEmpty()) return false;
                List<ProcessHandle> children = worker.get().descendants().toList();
                if (children.size() < 2) return false;
                jvms.clear();
                jvms.add(worker.get());
                jvms.addAll(children);
                return true;
            }, "running its processes cell");
            assertThat(server.get("/api/runs/" + id).get("cells").get(0).get("status").asText()).isEqualTo("ok");

            // A watcher notes when the last of them is gone, counted from the moment the cancel is sent (the answer
            // itself comes once the run's status is recorded, which may take longer on a busy machine).
            long start = System.nanoTime();
            var goneAfterMs = new java.util.concurrent.atomic.AtomicLong(-1);
            Thread watcher = new Thread(() -> {
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                    if (jvms.stream().noneMatch(QueueIT::running)) {
                        goneAfterMs.set((System.nanoTime() - start) / 1_000_000);
                        return;
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.start();
            JsonNode cancelled = server.json("DELETE", "/api/queue/" + id, token, null, 200);
            long answeredMs = (System.nanoTime() - start) / 1_000_000;
            watcher.join(15_000);
            System.out.printf("cancel: the worker and its child JVMs were gone %d ms after the request; the answer came after %d ms%n",
                    goneAfterMs.get(), answeredMs);
            assertThat(jvms).as("worker and child JVMs %s after the cancel", jvms).noneMatch(QueueIT::running);
            assertThat(goneAfterMs.get()).as("ms until the last JVM was gone").isBetween(0L, 1999L);
            assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
            JsonNode run = server.get("/api/runs/" + id);
            assertThat(run.get("run").get("status").asText()).isEqualTo("cancelled");
            assertThat(run.get("cells")).hasSize(1); // the finished threads cell stays
            assertThat(server.send("GET", "/api/runs/" + id + "/document", null, null).statusCode()).isEqualTo(404);

            // a cancelled run can be retried as a new run; a finished one cannot be cancelled again
            assertThat(server.send("DELETE", "/api/queue/" + id, token, null).statusCode()).isEqualTo(409);
            JsonNode retry = server.json("POST", "/api/queue/" + id + "/retry", token, null, 201);
            assertThat(retry.get("retryOf").asLong()).isEqualTo(id);
            server.json("DELETE", "/api/queue/" + retry.get("id").asLong(), token, null, 200);
        }
    }

    @Test
    void after_a_sigkill_mid_run_the_run_is_interrupted_with_its_finished_cells_and_the_next_queued_run_completes() throws Exception {
        String token = token();
        long interrupted;
        long next;
        long workerPid;
        try (ServerProcess server = ServerProcess.start(data)) {
            interrupted = enqueue(server, token, """
                    {"suite": "smoke", "workloads": ["sleep-io"], "models": ["sequential", "threads", "fixed-pool"], "jdks": ["25"],
                     "params": {"sleep-io.latencyMs": 50}, "warmups": 0, "iterations": 10}""").get(0);
            next = enqueue(server, token, """
                    {"suite": "smoke", "workloads": ["sleep-io"], "models": ["threads"], "jdks": ["25"], "iterations": 2}""").get(0);
            JsonNode running = await(server, interrupted, run -> run.get("cells").size() >= 1
                    && run.get("progress") != null && !run.get("progress").get("workerPid").isNull(), "one cell done");
            workerPid = running.get("progress").get("workerPid").asLong();
            server.kill();
        }
        // The orphaned worker notices that its supervisor is gone and stops (it must not measure beside the next run).
        var worker = ProcessHandle.of(workerPid);
        if (worker.isPresent()) worker.get().onExit().get(10, TimeUnit.SECONDS);

        try (ServerProcess again = ServerProcess.start(data)) {
            JsonNode run = again.get("/api/runs/" + interrupted);
            assertThat(run.get("run").get("status").asText()).isEqualTo("interrupted");
            assertThat(run.get("run").get("error").asText()).contains("server stopped");
            assertThat(run.get("cells").size()).isBetween(1, 2);
            run.get("cells").forEach(cell -> assertThat(cell.get("samples").asInt()).isEqualTo(10));

            JsonNode done = await(again, next, status("done"), "done");
            assertThat(done.get("cells").get(0).get("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void a_hanging_cell_ends_as_timeout_and_the_run_goes_on_with_the_next_cell() throws Exception {
        String token = token();
        // a task of yours that hangs, served from its jar as a user's would be
        Path jar = dev.conlab.cli.TaskJarTest.taskJar(java.nio.file.Files.createDirectories(data.resolve("tasks")),
                java.util.Map.of("Hanger", dev.conlab.cli.TaskJarTest.HANGER));
        try (ServerProcess server = ServerProcess.startWithTaskJar(data, jar)) {
            long id = enqueue(server, token, """
                    {"suite": "smoke", "workloads": ["hanger", "sleep-io"], "models": ["sequential"], "jdks": ["25"],
                     "cellTimeoutSeconds": 3, "iterations": 2}""").get(0);
            JsonNode run = await(server, id, ended(), "ended");
            assertThat(run.get("run").get("status").asText()).isEqualTo("done");
            var byWorkload = new java.util.HashMap<String, JsonNode>();
            run.get("cells").forEach(c -> byWorkload.put(c.get("workload").asText(), c));
            assertThat(byWorkload.get("hanger").get("status").asText()).isEqualTo("timeout");
            assertThat(byWorkload.get("hanger").get("error").asText()).contains("cell timeout of 3 s");
            assertThat(byWorkload.get("sleep-io").get("status").asText()).isEqualTo("ok");

            // the per-run limit: the worker is killed, the run fails with the reason, the queue goes on
            long limited = enqueue(server, token, """
                    {"suite": "smoke", "workloads": ["sleep-io", "hanger"], "models": ["sequential"], "jdks": ["25"],
                     "cellTimeoutSeconds": 600, "runTimeoutSeconds": 10, "iterations": 2}""").get(0);
            long after = enqueue(server, token, """
                    {"suite": "smoke", "workloads": ["sleep-io"], "models": ["threads"], "jdks": ["25"], "iterations": 2}""").get(0);
            JsonNode failed = await(server, limited, ended(), "ended");
            assertThat(failed.get("run").get("status").asText()).isEqualTo("failed");
            assertThat(failed.get("run").get("error").asText()).contains("run limit of 10 s");
            // the hanger's T₁ (its sequential cell) runs first and is killed with the run: no cell of it is stored
            failed.get("cells").forEach(c -> assertThat(c.get("workload").asText()).isEqualTo("sleep-io"));
            assertThat(await(server, after, ended(), "ended").get("run").get("status").asText()).isEqualTo("done");
        }
    }
}
