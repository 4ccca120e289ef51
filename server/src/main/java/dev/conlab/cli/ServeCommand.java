package dev.conlab.cli;

import dev.conlab.db.Database;
import dev.conlab.server.App;
import dev.conlab.db.Scope;
import dev.conlab.server.Lab;
import dev.conlab.server.http.Draining;
import dev.conlab.server.queue.RunQueue;
import io.javalin.Javalin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;


import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the lab's server: the REST API on the embedded H2 database (default) or PostgreSQL.",
                "Reading is open; writes need a token (conlab token create). Binds to 127.0.0.1 unless told otherwise."})
final class ServeCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    MachineNameOption machineName;

    @picocli.CommandLine.Mixin
    TaskJarOptions taskJars;

    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOptions db;

    @Option(names = "--port", defaultValue = "${env:CONLAB_PORT:-7070}", description = "Port (0 = any free one). Default: ${DEFAULT-VALUE}. Env: CONLAB_PORT.")
    int port;

    @Option(names = "--bind", defaultValue = "${env:CONLAB_BIND:-127.0.0.1}",
            description = "Address to listen on; 0.0.0.0 for every interface. Default: ${DEFAULT-VALUE}. Env: CONLAB_BIND.")
    String bind;

    @Option(names = "--sample-data", paramLabel = "DIR", defaultValue = "${env:CONLAB_SAMPLE_DATA:-sample-data}",
            description = "Result documents loaded into an empty database on first start. Default: ${DEFAULT-VALUE}. Env: CONLAB_SAMPLE_DATA.")
    Path sampleData;

    @Option(names = "--no-sample-data", description = "Start with an empty database.")
    boolean noSampleData;

    @Option(names = "--lease-seconds", paramLabel = "S", defaultValue = "${env:CONLAB_LEASE_SECONDS:-30}",
            description = {"How long an agent (or this server's runner) may go without renewing its lease on the run it measures "
                    + "before the run is given up as interrupted. Default: ${DEFAULT-VALUE}. Env: CONLAB_LEASE_SECONDS."})
    int leaseSeconds;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        var tasks = taskJars.install(); // before the queue and the pages: they list the catalog's workloads
        if (!tasks.tasks().isEmpty()) {
            spec.commandLine().getOut().println("Tasks of yours: " + String.join(", ", tasks.tasks().stream().map(t -> t.id()).toList())
                    + " (from " + tasks.jars() + ")");
        }
        if (!taskJars.pythonTaskIds.isEmpty()) {
            spec.commandLine().getOut().println("Python tasks of yours: " + String.join(", ", taskJars.pythonTaskIds) + " (from "
                    + String.join(", ", taskJars.pythonTasks) + ")");
        }
        Database database = db.open();
        if (database.recovery().describe() != null) spec.commandLine().getOut().println(database.recovery().describe());
        Lab lab = Lab.over(database);
        if (!noSampleData) {
            int loaded = lab.runs().ingest().loadSampleData(sampleData);
            if (loaded > 0) spec.commandLine().getOut().println("Loaded " + loaded + " sample runs from " + sampleData);
        }
        if (!InetAddress.getByName(bind).isLoopbackAddress() && lab.tokens().list().stream().noneMatch(t -> t.revokedAt() == null)) {
            boolean container = java.nio.file.Files.exists(Path.of("/.dockerenv")) || java.nio.file.Files.exists(Path.of("/run/.containerenv"));
            spec.commandLine().getErr().println("WARNING: listening on " + bind + ", beyond this machine, with no API token defined: anyone who "
                    + "reaches this port can read, nobody can upload or queue. Create a token with: "
                    + (container ? "docker exec CONTAINER " : "") + "conlab token create --name NAME --scopes "
                    + Scope.join(java.util.EnumSet.of(Scope.UPLOAD, Scope.QUEUE, Scope.ADMIN)));
        }
        if (leaseSeconds < 3 || leaseSeconds > 3600) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--lease-seconds must be 3 to 3600, not " + leaseSeconds);
        }
        RunQueue queue = RunQueue.onThisHost(lab.queueStore(), lab.agents(), java.time.Duration.ofSeconds(leaseSeconds));
        queue.start(); // first: runs a crash left running become interrupted before anyone can see or cancel them
        dev.conlab.bench.fork.Pythons.refreshInBackground(); // interpreters probed now, so that no page waits for a probe
        Draining draining = new Draining();
        Javalin app = App.create(lab, queue, draining).start(bind, port);
        var stopped = new CountDownLatch(1);
        var once = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (once.compareAndSet(false, true)) {
                stop(draining, queue, app, database);
                stopped.countDown();
            } else {
                // a second signal, or the JVM's exit: the first stop finishes first
                try {
                    stopped.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        // SIGTERM and Ctrl-C stop the lab before the JVM's shutdown begins: H2 closes its databases in a shutdown hook of its
        // own (AUTO_SERVER rules out DB_CLOSE_ON_EXIT=FALSE), which would run beside ours, under the writes still in flight
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.run());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "conlab-stop")); // any other way out
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        spec.commandLine().getOut().printf("Concurrency Lab listening on http://%s:%d/ (%d runs stored, started in %d ms)%n",
                host.equals("0.0.0.0") ? "localhost" : host, app.port(), lab.runs().count(),
                (System.nanoTime() - start) / 1_000_000);
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    /**
     * A graceful stop (SIGTERM, Ctrl-C), within 10 s: new requests are refused with 503, the writes in flight are answered
     * (up to 3 s), this host's running run is stopped — its workers killed, the run marked interrupted with its finished
     * cells (up to 4 s) — and the database is closed, so that it opens next time without recovery: within the 10 s that
     * {@code docker stop} and systemd give before their SIGKILL.
     */
    static void stop(Draining draining, RunQueue queue, Javalin app, Database database) {
        long start = System.nanoTime();
        var log = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);
        draining.stop();
        try {
            int left = draining.await(java.time.Duration.ofSeconds(3));
            if (left > 0) log.warn("stopping: {} write(s) still running after 3 s; their clients get no answer", left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.close();
        app.stop();
        database.shutdown();
        log.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
