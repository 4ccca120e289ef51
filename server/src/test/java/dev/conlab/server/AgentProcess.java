package dev.conlab.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code conlab agent} process (the jar), its output kept line by line for the test to read. */
public final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private AgentProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        }, "agent-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts an agent of the machine {@code name} for the server at {@code url}, and waits until it waits for runs. */
    public static AgentProcess start(String url, String token, String name) throws Exception {
        return start(url, token, name, java.nio.file.Files.createTempDirectory("conlab-agent-" + name));
    }

    /** As {@link #start(String, String, String)}, keeping its outbox in {@code dataDir} (a restart that finds it there sends what it owed). */
    public static AgentProcess start(String url, String token, String name, Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        TestJvms.Launch launch = TestJvms.options("agent");
        var command = new ArrayList<String>();
        command.add(java);
        command.addAll(launch.options());
        command.addAll(List.of("-jar", System.getProperty("conlab.jar"), "agent", "--server", url, "--token", token,
                "--machine-name", name, "--data-dir", dataDir.toString()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        // the system's interpreters only: probing a dozen pyenv shims costs seconds of CPU per agent on this 2-core machine
        builder.environment().put("PATH", "/usr/bin:/bin");
        AgentProcess agent = new AgentProcess(launch.started(builder.start()));
        agent.await("waiting for runs", Duration.ofSeconds(60));
        return agent;
    }

    /** Waits for a line containing {@code text}; returns it. */
    public String await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) if (line.contains(text)) return line;
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && lines.stream().noneMatch(l -> l.contains(text)))) {
                    throw new AssertionError("the agent never said '" + text + "'; it said:\n" + output());
                }
                lines.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    public Process process() {
        return process;
    }

    /** SIGKILL: nothing runs on the way out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
