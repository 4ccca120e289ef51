package dev.conlab.server;

import dev.conlab.db.Database;
import dev.conlab.db.TestDatabases;

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

    /** An empty database, migrated. */
    public ServerDatabase reset() throws Exception {
        java.nio.file.Files.createDirectories(dataDir);
        (url.startsWith("jdbc:postgresql:") ? new TestDatabases.Postgres(url, user, password).reset() : open()).close();
        return this;
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
