package dev.conlab.db;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The databases every store test runs on: a fresh in-memory H2 always, and PostgreSQL when
 * {@code CONLAB_TEST_PG_URL} is set (user and password from {@code CONLAB_TEST_PG_USER} and
 * {@code CONLAB_TEST_PG_PASSWORD}, default {@code conlab}); {@code .ci/run} starts one and sets it. On PostgreSQL each test
 * thread has a schema of its own in that database ({@code conlab_t<thread id>}, the URL's {@code currentSchema}), emptied
 * before each test: test classes that run side by side never see each other's tables.
 */
public final class TestDatabases {

    private TestDatabases() {
    }

    public record Named(String name, Supplier<Database> open) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The test PostgreSQL database, from {@code CONLAB_TEST_PG_URL}, {@code CONLAB_TEST_PG_USER} and {@code CONLAB_TEST_PG_PASSWORD}. */
    public record Postgres(String url, String user, String password) {
        /** Empties this thread's schema and opens it, migrated. */
        public Database reset() {
            resetPostgres(url, user, password);
            return Database.open(url, user, password);
        }
    }

    /**
     * The test PostgreSQL database when {@code CONLAB_TEST_PG_URL} is set, in the calling thread's schema; says so on stderr
     * when it is not set.
     */
    public static java.util.Optional<Postgres> postgres(String whatRunsOnH2Only) {
        String pg = System.getenv("CONLAB_TEST_PG_URL");
        if (pg == null || pg.isBlank()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI needs PostgreSQL: .ci/run starts it and sets CONLAB_TEST_PG_URL");
            }
            System.err.println("CONLAB_TEST_PG_URL is not set: " + whatRunsOnH2Only + " run on H2 only (CI runs them on PostgreSQL too)");
            return java.util.Optional.empty();
        }
        String url = pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + threadSchema();
        return java.util.Optional.of(new Postgres(url, System.getenv().getOrDefault("CONLAB_TEST_PG_USER", "conlab"),
                System.getenv().getOrDefault("CONLAB_TEST_PG_PASSWORD", "conlab")));
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; the tests compile for 17
    private static String threadSchema() {
        return "conlab_t" + Thread.currentThread().getId();
    }

    public static List<Named> all() {
        var list = new ArrayList<Named>();
        list.add(new Named("H2", () -> Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")));
        postgres("store tests").ifPresent(pg -> list.add(new Named("PostgreSQL", pg::reset)));
        return list;
    }

    /** An empty schema (the URL's currentSchema), so that every test starts from a fresh migration. */
    private static void resetPostgres(String url, String user, String password) {
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length()).split("&")[0];
        try (var connection = DriverManager.getConnection(url, user, password); var statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        } catch (Exception e) {
            throw new IllegalStateException("cannot reset the PostgreSQL test database at " + url + ": " + e.getMessage(), e);
        }
    }
}
