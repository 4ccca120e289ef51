package dev.conlab.bench.harness;

import dev.conlab.bench.Model;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Virtual threads pinned to their carrier during an iteration, from a JFR recording of {@code jdk.VirtualThreadPinned}
 * with a threshold of 0 (every pin, not only those over JFR's default 20 ms), for the cells of models that run virtual
 * threads. The recording is started before the iteration and read after it, outside the timed region's figures
 * but not outside its time: JFR's cost for this one event is small, and only these cells pay it.
 */
class Pinning {

    private final boolean active;
    private Recording recording;

    private Pinning(boolean active) {
        this.active = active;
    }

    static Pinning of(Model model) {
        return new Pinning(model.usesVirtualThreads());
    }

    void start() {
        if (!active) return;
        recording = new Recording();
        recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
        recording.start();
    }

    long[] stop() {
        if (!active || recording == null) return null;
        try {
            recording.stop();
            Path file = Files.createTempFile("conlab-pinned-", ".jfr");
            try {
                recording.dump(file);
                long count = 0;
                long nanos = 0;
                for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                    count++;
                    nanos += e.getDuration().toNanos();
                }
                return new long[] {count, nanos};
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception e) {
            return null;
        } finally {
            recording.close();
            recording = null;
        }
    }

    String source() {
        return active ? "JFR jdk.VirtualThreadPinned, threshold 0, recorded around each iteration"
                : "not measured: this model runs no virtual threads, so none can be pinned";
    }
}
