package dev.conlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;


import static dev.conlab.db.jooq.Tables.CELL;
import static dev.conlab.db.jooq.Tables.SAMPLE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet with real processes: a server and agents on this host, each a machine of its own (--machine-name), runs
 * measured in real worker JVMs; SIGKILLs of agents and of the server; cancel through the heartbeat; two servers on one
 * PostgreSQL. Leases are 4 s here (heartbeats every second) so that lapses show within seconds.
 */
class FleetIT {

    private static final int LEASE_SECONDS = 4;

    @TempDir
    Path data;

    private ServerDatabase h2() throws Exception {
        return new ServerDatabase("H2", data.resolve("h2"), Database.h2Url(data.resolve("h2")), "sa", "").reset();
    }

    private static String token(ServerDatabase db, String name, Scope scope) {
        try (Database open = db.open()) {
            return new TokenStore(open).create(name, Set.of(scope));
        }
    }

    private static List<String> serverOptions(String name, String... more) {
        var options = new ArrayList<>(List.of("--machine-name", name, "--lease-seconds", String.valueOf(LEASE_SECONDS)));
        options.addAll(List.of(more));
        return options;
    }

    private static long enqueue(ServerProcess server, String token, String request) throws Exception {
        return server.json("POST", "/api/queue", token, request, 201).get("runs").get(0).get("id").asLong();
    }

    private static JsonNode await(ServerProcess server, long id, Predicate<JsonNode> condition, String what, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            try {
                run = server.get("/api/runs/" + id);
                if (condition.test(run)) return run;
            } catch (java.io.IOException e) {
                // the server is restarting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " never became " + what + " within " + seconds + " s; last seen: " + run);
    }

    private static Predicate<JsonNode> status(String status) {
        return run -> run.get("run").get("status").asText().equals(status);
    }

    private static Predicate<JsonNode> cellsDone(int atLeast) {
        return run -> run.get("run").get("status").asText().equals("running") && run.get("cells").size() >= atLeast;
    }

    /**
     * A run of sleep-io cells of {@code tasks} × {@code latencyMs}, two iterations each: T₁ (the sequential code path,
     * measured first) takes 2 × tasks × latency, the other cells about 2 × latency and a JVM's start.
     */
    private static String sleepRun(String models, int latencyMs, int tasks, String machine) {
        return """
                {"suite": "smoke", "workloads": ["sleep-io"], "models": [%s], "jdks": ["25"],
                 "params": {"sleep-io.latencyMs": %d, "sleep-io.tasks": %d}, "warmups": 0, "iterations": 2 %s}"""
                .formatted(models, latencyMs, tasks, machine == null ? "" : ", \"machines\": [\"" + machine + "\"]");
    }

    @Test
    void a_run_queued_for_agent_b_runs_on_b_alone_with_live_progress_and_is_stored_with_bs_machine() throws Exception {
        ServerDatabase db = h2();
        String queue = token(db, "queue", Scope.QUEUE);
        String tokenA = token(db, "agent-a", Scope.AGENT);
        String tokenB = token(db, "agent-b", Scope.AGENT);
        try (ServerProcess server = ServerProcess.start(db.dataDir(), db, serverOptions("lab-host"));
             AgentProcess a = AgentProcess.start(server.url(), tokenA, "agent-a");
             AgentProcess b = AgentProcess.start(server.url(), tokenB, "agent-b")) {
            JsonNode machines = server.get("/api/machines");
            assertThat(machines.findValuesAsText("label")).containsExactlyInAnyOrder("lab-host", "agent-a", "agent-b");
            for (JsonNode m : machines) {
                if (m.get("label").asText().startsWith("agent-")) assertThat(m.get("agent").get("online").asBoolean()).isTrue();
                else assertThat(m.get("thisHost").asBoolean()).isTrue();
            }
            assertThat(server.send("GET", "/machines", null, null).body()).contains("agent-a").contains("online");

            long id = enqueue(server, queue, sleepRun("\"threads\", \"sequential\"", 250, 4, "agent-b"));
            // progress from B's heartbeats, on the API and in the dashboard's queue panel
            JsonNode running = await(server, id, run -> run.get("progress") != null && run.get("progress").get("currentCell") != null,
                    "measuring with progress", 60);
            assertThat(running.get("progress").get("workerPid").asLong()).isPositive();
            String panel = server.send("GET", "/partials/queue", null, null).body();
            assertThat(panel).contains("agent-b").contains("sleep-io");

            JsonNode done = await(server, id, status("done"), "done", 120);
            assertThat(done.get("run").get("machineLabel").asText()).isEqualTo("agent-b");
            assertThat(done.get("cells")).hasSize(2);
            done.get("cells").forEach(cell -> assertThat(cell.get("status").asText()).isEqualTo("ok"));
            assertThat(server.get("/api/runs/" + id + "/document").get("machine").get("label").asText()).isEqualTo("agent-b");
            b.await("run " + id + " done", Duration.ofSeconds(10));
            assertThat(a.output()).doesNotContain("run " + id);
        }
    }

    @Test
    void a_sigkilled_agents_run_is_interrupted_within_the_lease_with_its_cells_and_the_restarted_agent_takes_new_work_only() throws Exception {
        ServerDatabase db = h2();
        String queue = token(db, "queue", Scope.QUEUE);
        String tokenB = token(db, "agent-b", Scope.AGENT);
        try (ServerProcess server = ServerProcess.start(db.dataDir(), db, serverOptions("lab-host"))) {
            long old;
            ProcessHandle worker;
            try (AgentProcess b = AgentProcess.start(server.url(), tokenB, "agent-b")) {
                old = enqueue(server, queue, sleepRun("\"threads\", \"virtual-threads\", \"fixed-pool\"", 500, 4, "agent-b"));
                JsonNode running = await(server, old, cellsDone(1), "running with a finished cell", 90);
                JsonNode now = await(server, old, run -> run.get("progress").get("workerPid") != null
                        && !run.get("progress").get("workerPid").isNull(), "measuring in a worker", 30);
                worker = ProcessHandle.of(now.get("progress").get("workerPid").asLong()).orElse(null);
                assertThat(running.get("cells").size()).isPositive();
                b.kill();
            }
            long killed = System.nanoTime();
            JsonNode interrupted = await(server, old, status("interrupted"), "interrupted", LEASE_SECONDS + 10);
            double seconds = (System.nanoTime() - killed) / 1e9;
            System.out.printf("a SIGKILLed agent's run was interrupted %.1f s after the kill (lease %d s)%n", seconds, LEASE_SECONDS);
            assertThat(seconds).isLessThan(LEASE_SECONDS + 5);
            assertThat(interrupted.get("run").get("error").asText()).contains("agent measuring it stopped renewing its lease");
            assertThat(interrupted.get("cells").size()).isPositive();
            if (worker != null) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (QueueIT.running(worker) && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(QueueIT.running(worker)).as("the dead agent's worker JVM").isFalse();
            }

            try (AgentProcess again = AgentProcess.start(server.url(), tokenB, "agent-b")) {
                long fresh = enqueue(server, queue, sleepRun("\"threads\"", 20, 4, "agent-b"));
                await(server, fresh, status("done"), "done", 60);
                again.await("run " + fresh + " done", Duration.ofSeconds(10));
                assertThat(again.output()).doesNotContain("run " + old + ":");
                assertThat(server.get("/api/runs/" + old).get("run").get("status").asText()).isEqualTo("interrupted");
            }
        }
    }

    @Test
    void an_agent_measures_on_through_a_server_restart_and_every_cell_arrives_exactly_once() throws Exception {
        ServerDatabase db = h2();
        String queue = token(db, "queue", Scope.QUEUE);
        String tokenB = token(db, "agent-b", Scope.AGENT);
        ServerProcess server = ServerProcess.start(db.dataDir(), db, serverOptions("lab-host"));
        int port = server.port();
        try (AgentProcess b = AgentProcess.start(server.url(), tokenB, "agent-b")) {
            long id = enqueue(server, queue, sleepRun("\"threads\", \"virtual-threads\", \"fixed-pool\", \"cached-pool\"", 400, 4, "agent-b"));
            await(server, id, cellsDone(1), "running with a finished cell", 90);
            server.kill();
            b.await("cannot send a report", Duration.ofSeconds(30)); // a cell finished while the server was away
            server = ServerProcess.start(db.dataDir(), db, serverOptions("lab-host", "--port", String.valueOf(port)));
            JsonNode done = await(server, id, status("done"), "done", 120);
            b.await("reports are getting through again", Duration.ofSeconds(5));
            assertThat(done.get("cells")).hasSize(4);
            try (Database open = db.open()) {
                assertThat(open.dsl().fetchCount(CELL, CELL.RUN_ID.eq(id))).isEqualTo(4);
                // two iterations per clean fork, counted in the cell rows (the samples themselves are in the document once done);
                // a fork the server's restart disturbed beside the agent's worker is replaced, so a cell may have had more forks
                assertThat(open.dsl().select(CELL.SAMPLES_N).from(CELL).where(CELL.RUN_ID.eq(id)).fetch(CELL.SAMPLES_N))
                        .hasSize(4).allSatisfy(n -> assertThat(n % 2).isZero()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2));
                assertThat(open.dsl().fetchCount(SAMPLE.join(CELL).on(CELL.ID.eq(SAMPLE.CELL_ID)), CELL.RUN_ID.eq(id))).isZero();
            }
        } finally {
            server.close();
        }
    }

    @Test
    void an_agent_killed_while_its_server_is_away_sends_what_it_owed_after_both_restart_and_the_run_ends_with_every_cell_once() throws Exception {
        ServerDatabase db = h2();
        String queue = token(db, "queue", Scope.QUEUE);
        String tokenB = token(db, "agent-b", Scope.AGENT);
        Path agentData = data.resolve("agent-b");
        Path outbox = agentData.resolve("outbox");
        ServerProcess server = ServerProcess.start(db.dataDir(), db, serverOptions("lab-host"));
        int port = server.port();
        long id;
        java.util.Set<Integer> owed = new java.util.TreeSet<>();
        try (AgentProcess b = AgentProcess.start(server.url(), tokenB, "agent-b", agentData)) {
            id = enqueue(server, queue, sleepRun("\"threads\", \"virtual-threads\", \"fixed-pool\", \"cached-pool\"", 400, 4, "agent-b"));
            await(server, id, cellsDone(1), "running with a finished cell", 90);
            server.kill();
            // the cells the agent finishes now wait in its outbox, on disk; then the agent is killed too
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (owed.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                owed.addAll(owedCells(outbox));
            }
            b.kill();
            owed.clear();
            owed.addAll(owedCells(outbox));
            assertThat(owed).as("cells the killed agent owed").isNotEmpty();
        }
        java.util.Set<Integer> stored = new java.util.TreeSet<>();
        try (Database open = db.open()) {
            stored.addAll(open.dsl().select(CELL.POSITION).from(CELL).where(CELL.RUN_ID.eq(id)).fetch(CELL.POSITION));
        }
        var expected = new java.util.TreeSet<>(stored);
        expected.addAll(owed);
        System.out.printf("the killed agent owed cells %s of run %d; the server had %s%n", owed, id, stored);

        server = ServerProcess.start(db.dataDir(), db, serverOptions("lab-host", "--port", String.valueOf(port)));
        try (AgentProcess again = AgentProcess.start(server.url(), tokenB, "agent-b", agentData)) {
            again.await("delivered", Duration.ofSeconds(30));
            assertThat(again.output()).contains("owed from before this agent's restart (runs " + id + ")").doesNotContain("refused");
            JsonNode run = server.get("/api/runs/" + id);
            assertThat(run.get("run").get("status").asText()).as("the run, ended by the agent's restart").isEqualTo("interrupted");
            assertThat(run.get("cells")).hasSize(expected.size());
            try (Database open = db.open()) {
                assertThat(open.dsl().select(CELL.POSITION).from(CELL).where(CELL.RUN_ID.eq(id)).fetch(CELL.POSITION))
                        .as("every cell once").containsExactlyInAnyOrderElementsOf(expected);
            }
            try (var files = java.nio.file.Files.list(outbox)) {
                assertThat(files.filter(f -> f.toString().endsWith(".json")).toList()).as("the outbox after delivery").isEmpty();
            }
        } finally {
            server.close();
        }
    }

    /** The cell positions waiting in an agent's outbox. */
    private static java.util.Set<Integer> owedCells(Path outbox) throws Exception {
        var cells = new java.util.TreeSet<Integer>();
        if (!java.nio.file.Files.isDirectory(outbox)) return cells;
        try (var files = java.nio.file.Files.list(outbox)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                try {
                    String path = dev.conlab.bench.Json.MAPPER.readTree(file.toFile()).get("path").asText();
                    if (path.contains("/cells/")) cells.add(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)));
                } catch (java.io.IOException e) {
                    // deleted meanwhile: delivered
                }
            }
        }
        return cells;
    }

    @Test
    void a_cancel_reaches_the_agent_with_its_next_heartbeat_and_its_worker_is_gone_within_five_seconds() throws Exception {
        ServerDatabase db = h2();
        String queue = token(db, "queue", Scope.QUEUE);
        String tokenB = token(db, "agent-b", Scope.AGENT);
        try (ServerProcess server = ServerProcess.start(db.dataDir(), db, serverOptions("lab-host"));
             AgentProcess b = AgentProcess.start(server.url(), tokenB, "agent-b")) {
            long id = enqueue(server, queue, sleepRun("\"sequential\"", 1000, 10, "agent-b"));
            JsonNode running = await(server, id, run -> run.get("progress") != null && run.get("progress").get("currentCell") != null
                    && !run.get("progress").get("workerPid").isNull(), "measuring in a worker", 60);
            ProcessHandle worker = ProcessHandle.of(running.get("progress").get("workerPid").asLong()).orElseThrow();
            long start = System.nanoTime();
            JsonNode answer = server.json("DELETE", "/api/queue/" + id, queue, null, 200);
            assertThat(answer.get("status").asText()).isEqualTo("cancelling");
            while (QueueIT.running(worker) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15)) Thread.sleep(20);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("cancel on an agent: its worker was gone %.2f s after the request (heartbeat every 1 s)%n", seconds);
            assertThat(QueueIT.running(worker)).isFalse();
            assertThat(seconds).isLessThan(1 + 5);
            JsonNode cancelled = await(server, id, status("cancelled"), "cancelled", 10);
            assertThat(cancelled.get("run").get("error").asText()).contains("cancelled while running on its agent");
            b.await("run " + id + " cancelled", Duration.ofSeconds(10));
        }
    }

    @Test
    void two_servers_on_one_postgresql_measure_their_own_hosts_runs_and_a_restart_of_one_interrupts_none_of_the_others() throws Exception {
        var pg = ServerDatabase.all(data).stream().filter(d -> d.name().equals("PostgreSQL")).findFirst();
        dev.conlab.bench.Required.orSkip(pg.isPresent(), "PostgreSQL (CONLAB_TEST_PG_URL)");
        ServerDatabase db = pg.get().reset();
        String queue = token(db, "queue", Scope.QUEUE);
        ServerProcess one = ServerProcess.start(data.resolve("one"), db, serverOptions("host-1"));
        ServerProcess two = ServerProcess.start(data.resolve("two"), db, serverOptions("host-2"));
        try {
            String run = sleepRun("\"threads\", \"sequential\"", 150, 4, null);
            long oneFirst = enqueue(one, queue, run);
            long twoFirst = enqueue(two, queue, run);
            long oneSecond = enqueue(one, queue, run);
            long twoSecond = enqueue(two, queue, run);
            await(one, oneFirst, status("running"), "running", 30);
            await(two, twoFirst, status("running"), "running", 30);
            two.kill();
            two = ServerProcess.start(data.resolve("two"), db, serverOptions("host-2"));
            // host-2's restart interrupted its own run only; host-1's runs go on
            assertThat(two.get("/api/runs/" + twoFirst).get("run").get("status").asText()).isEqualTo("interrupted");
            for (long id : List.of(oneFirst, oneSecond)) {
                JsonNode done = await(one, id, status("done"), "done", 120);
                assertThat(done.get("run").get("machineLabel").asText()).isEqualTo("host-1");
            }
            JsonNode done = await(two, twoSecond, status("done"), "done", 120);
            assertThat(done.get("run").get("machineLabel").asText()).isEqualTo("host-2");
        } finally {
            one.close();
            two.close();
        }
    }
}
