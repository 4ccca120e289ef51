package dev.conlab.db;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Opens an H2 file that was not closed cleanly (its process was killed) with a full scan, before H2 opens it itself.
 * <p>
 * H2 2.x's own open after an unclean stop takes a quick path: from the chunk its file header names, it follows each
 * chunk's prediction of where the next one goes, and stops where a prediction failed. When a chunk lands elsewhere than
 * predicted, H2 rewrites the header for that reason — but {@code RandomAccessStore.writeChunk} writes it before
 * {@code storeBuffer} makes the new chunk the last one, so the header names the chunk before it, whose prediction is the
 * wrong one. Every chunk from the mispredicted one on is written, complete and valid, and the quick path does not reach it:
 * a SIGKILL then costs the commits acknowledged since the last misprediction (docs/FINDINGS.md §13 has the evidence).
 * H2's recovery mode scans the whole file for valid chunks instead and opens the newest complete set; closing that store
 * writes a clean header naming it, so the open that follows is H2's ordinary clean one, with every commit.
 */
public final class H2Recovery {

    private H2Recovery() {
    }

    /** What the check found: nothing to do, or a file recovered (to which version, in how long). */
    public record Outcome(boolean recovered, long version, long millis, String why) {
        static Outcome nothing(String why) {
            return new Outcome(false, -1, 0, why);
        }

        /** A line for the server's log, or null when nothing happened worth saying. */
        public String describe() {
            return recovered ? "the H2 file was not closed cleanly (its process was killed); scanned it whole and opened its newest "
                    + "complete version (" + version + ") in " + millis + " ms" : null;
        }
    }

    /** The {@code .mv.db} file of an H2 file URL ({@code jdbc:h2:file:PATH;…} or {@code jdbc:h2:PATH;…}); empty for others. */
    static Optional<Path> fileOf(String url) {
        if (!url.startsWith("jdbc:h2:")) return Optional.empty();
        String rest = url.substring("jdbc:h2:".length());
        int semicolon = rest.indexOf(';');
        if (semicolon >= 0) rest = rest.substring(0, semicolon);
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (rest.matches("^[a-zA-Z]{2,}:.*")) {
            return Optional.empty(); // mem:, tcp:, ssl:, zip:, nio…: not a file this process opens directly
        }
        if (rest.startsWith("~")) rest = System.getProperty("user.home") + rest.substring(1);
        return Optional.of(Path.of(rest + ".mv.db"));
    }

    /** Recovers the database of {@code url} if it is an H2 file left unclean; see the class comment. */
    public static Outcome recoverIfUnclean(String url) {
        return fileOf(url).map(H2Recovery::recoverIfUnclean).orElse(Outcome.nothing("not an H2 file"));
    }

    static Outcome recoverIfUnclean(Path file) {
        if (!Files.isRegularFile(file)) return Outcome.nothing("no file yet");
        try {
            if (closedCleanly(file)) return Outcome.nothing("closed cleanly");
        } catch (IOException e) {
            return Outcome.nothing("unreadable header (" + e.getMessage() + "): left to H2");
        }
        long start = System.nanoTime();
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(file.toString()).recoveryMode().open();
        } catch (MVStoreException e) {
            // in use by a running process (it holds the file's lock): that process has the data, nothing was lost
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) return Outcome.nothing("open in another process");
            throw e;
        }
        long version = store.getCurrentVersion();
        store.close(); // writes the clean header naming the newest complete chunk
        return new Outcome(true, version, (System.nanoTime() - start) / 1_000_000, "unclean");
    }

    /** Whether the file's header (its first block) carries H2's clean-shutdown mark. */
    static boolean closedCleanly(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            while (block.hasRemaining() && channel.read(block) > 0) {
                // read the whole first block
            }
            String header = new String(block.array(), 0, block.position(), StandardCharsets.ISO_8859_1);
            int end = header.indexOf('\n');
            if (end >= 0) header = header.substring(0, end);
            for (String field : header.split(",")) {
                if (field.equals("clean:1")) return true;
            }
            return false;
        }
    }
}
