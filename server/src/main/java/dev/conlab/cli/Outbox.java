package dev.conlab.cli;

import dev.conlab.bench.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An agent's reports on their way to its server, kept on disk: one file per report in the agent's data folder, written
 * and fsync'd (file, then folder) before the report counts as queued, deleted once the server has answered it. An agent
 * killed while its server is away thus still owes, after its restart, exactly what it had measured; it sends those
 * reports first, in their order. The object is also the monitor its sender and its producers wait on.
 */
final class Outbox {

    /** A report: {@code path} is under the agent's machine ({@code /runs/ID/cells/N}); {@code last} ends its run. */
    record Report(long runId, String method, String path, String json, boolean last) {
    }

    private record Entry(Path file, Report report) {
    }

    private final Path dir;
    private final FileChannel lock;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long next;

    private Outbox(Path dir, FileChannel lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /**
     * The outbox in {@code dir} (created if missing), with the reports a previous process of the agent left in it; held
     * by this process alone (a second agent on the same folder would send the same reports twice).
     */
    static Outbox open(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel lock = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        boolean held;
        try {
            held = lock.tryLock() != null;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            held = false;
        }
        if (!held) {
            lock.close();
            throw new IOException("another agent process uses " + dir + ": give each agent its own --data-dir");
        }
        Outbox outbox = new Outbox(dir, lock);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = new ArrayList<>(list.toList());
        }
        files.sort(null);
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".tmp")) {
                Files.deleteIfExists(file); // a write the kill interrupted: never queued, never counted
            } else if (name.matches("\\d{12}\\.json")) {
                outbox.entries.add(new Entry(file, Json.MAPPER.readValue(file.toFile(), Report.class)));
                outbox.next = Math.max(outbox.next, Long.parseLong(name.substring(0, 12)) + 1);
            }
        }
        return outbox;
    }

    /** Queues a report: on disk (synced) when this returns. */
    synchronized void add(Report report) {
        Path file = dir.resolve(String.format("%012d.json", next++));
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(Json.MAPPER.writeValueAsString(report).getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) channel.write(bytes);
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            syncFolder();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a report in " + dir + ": " + e.getMessage(), e);
        }
        entries.add(new Entry(file, report));
        notifyAll();
    }

    synchronized Report peek() {
        Entry head = entries.peek();
        return head == null ? null : head.report();
    }

    synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    synchronized int size() {
        return entries.size();
    }

    /** The runs the queued reports are for, in order, each once. */
    synchronized List<Long> runIds() {
        return entries.stream().map(e -> e.report().runId()).distinct().toList();
    }

    /** The server answered the oldest report: it is gone from disk. */
    synchronized void remove() {
        Entry head = entries.poll();
        if (head != null) delete(head.file());
        notifyAll();
    }

    /** Every report dropped (the job is no longer this agent's). */
    synchronized void clear() {
        while (!entries.isEmpty()) delete(entries.poll().file());
        notifyAll();
    }

    private void delete(Path file) {
        try {
            Files.deleteIfExists(file);
            syncFolder();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove a delivered report from " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Lets another process open the folder (the lock goes with this process anyway). */
    void close() throws IOException {
        lock.close();
    }

    /** A file's creation, rename or deletion is durable once its folder is synced. */
    private void syncFolder() throws IOException {
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a folder; the files themselves are synced
        }
    }
}
