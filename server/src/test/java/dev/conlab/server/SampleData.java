package dev.conlab.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The repository's sample-data/: one run per result document, loaded into an empty database on first start. */
final class SampleData {

    static final Path DIR = Path.of("..", "sample-data");

    private SampleData() {
    }

    /** How many runs an empty database gets from it. */
    static int runs() {
        try (Stream<Path> files = Files.list(DIR)) {
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".json")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
