package dev.conlab.server;

import dev.conlab.db.Database;
import dev.conlab.db.TestDatabases;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A database for a real server process: an H2 file in a data folder always, and PostgreSQL (the test thread's schema,
 * reset to empty) when {@code CONLAB_TEST_PG_URL} is set, as in the store tests. {@link #open()} is for a test's own
 * reads and writes next to (or between) the server's runs; with H2 that works while the server runs too.
 */
public record ServerDatabase(String name, Path dataDir, String url, String user, String password) {

    public static List<ServerDatabase> all(Path root) {
        var list = new ArrayList<ServerDatabase>();
        Path h2 = root.resolve("h2");
        list.add(new ServerDatabase("H2", h2, Database.h2Url(h2), "sa", ""));
        TestDatabases.postgres("server process tests")
                .ifPresent(pg -> list.add(new ServerDatabase("PostgreSQL", root.resolve("pg"), pg.url(), pg.user(), pg.password())));
        return list;
    }

    /** An empty database, migrated (an H2 data folder that has a database already: that one, migrated). */
    public ServerDatabase reset() throws Exception {
        Files.createDirectories(dataDir);
        if (url.startsWith("jdbc:postgresql:")) {
            new TestDatabases.Postgres(url, user, password).reset().close();
        } else if (!migratedH2(dataDir)) {
            open().close();
        }
        return this;
    }

    /** An empty H2 database the migrations made, shut down clean; one per test JVM ({@link #migratedH2}). */
    private static Path template;

    /**
     * Puts an empty, migrated H2 database into {@code dataDir} if it has none: a copy of one this test JVM migrated once.
     * Each of the dozens of servers the integration tests start would otherwise run the same migrations on an empty file
     * (about 0.85 of a start's 3.3 CPU seconds here, docs/TESTING.md); the server still validates the copy with Flyway as
     * it opens it. Migrating a fresh folder is still tested: by FreshCloneIT's `./conlab serve`, and by the stores' tests,
     * which migrate every database they use. False if it had one.
     */
    static synchronized boolean migratedH2(Path dataDir) throws Exception {
        Path file = dataDir.resolve("conlab.mv.db");
        if (Files.exists(file)) return false;
        if (template == null) {
            Path dir = Files.createTempDirectory("conlab-migrated-h2");
            dir.toFile().deleteOnExit();
            Database.open(Database.h2Url(dir), "sa", "").shutdown();
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().deleteOnExit()); // deleted before their folder (the reverse order)
            }
            template = dir.resolve("conlab.mv.db");
        }
        Files.createDirectories(dataDir);
        Files.copy(template, file);
        return true;
    }

    public Database open() {
        return Database.open(url, user, password);
    }

    /** The server's options for this database. */
    List<String> options() {
        if (url.startsWith("jdbc:h2:")) return List.of();
        return List.of("--db", url, "--db-user", user, "--db-password", password);
    }

    @Override
    public String toString() {
        return name;
    }
}
