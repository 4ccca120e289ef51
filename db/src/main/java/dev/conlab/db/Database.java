package dev.conlab.db;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGConnectionPoolDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * One database: H2 (a file under the data directory by default, or in memory for tests) or PostgreSQL.
 * Opening it runs the Flyway migrations; the stores share its jOOQ context.
 */
public final class Database implements AutoCloseable {

    private final DataSource dataSource;
    private final DSLContext dsl;
    private final SQLDialect dialect;
    private final H2Recovery.Outcome recovery;

    private Database(DataSource dataSource, SQLDialect dialect, H2Recovery.Outcome recovery) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.recovery = recovery;
        // Unquoted names: PostgreSQL folds them to lower case, as it did when the migration created them.
        this.dsl = DSL.using(dataSource, dialect, new Settings()
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                .withExecuteLogging(false));
    }

    /** Connections kept open to PostgreSQL: enough for the server's readers and writers (2 per core each, see App). */
    private static final int POSTGRES_CONNECTIONS = 16;

    /**
     * The default: an H2 file database {@code conlab.mv.db} in {@code dataDir}. {@code WRITE_DELAY=0} writes
     * every commit to the file before the commit returns: with H2's default of 500 ms, a server killed with
     * SIGKILL lost runs it had acknowledged (CrashIT); a file a kill left unclean is opened by {@link H2Recovery}
     * (H2's own quick open could come back a few commits short). {@code AUTO_SERVER=TRUE}: while {@code conlab serve} holds
     * the file, other conlab commands (token create, import) reach it through a TCP port H2 opens for local connections
     * only.
     */
    public static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("conlab") + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
    }

    /** Opens and migrates the database at {@code url} (jdbc:h2:… or jdbc:postgresql:…). */
    public static Database open(String url, String user, String password) {
        DataSource dataSource;
        SQLDialect dialect;
        H2Recovery.Outcome recovery = H2Recovery.recoverIfUnclean(url);
        if (url.startsWith("jdbc:h2:")) {
            dataSource = JdbcConnectionPool.create(url, user == null ? "" : user, password == null ? "" : password);
            dialect = SQLDialect.H2;
        } else if (url.startsWith("jdbc:postgresql:")) {
            // Pooled: a new PostgreSQL connection (TCP, then SCRAM authentication) costs tens of milliseconds, which
            // every query paid when each one opened its own (a run page took ~80 ms on loopback; CrashIT's checks).
            var pg = new PGConnectionPoolDataSource();
            pg.setURL(url);
            if (user != null) pg.setUser(user);
            if (password != null) pg.setPassword(password);
            var pool = JdbcConnectionPool.create(pg);
            pool.setMaxConnections(POSTGRES_CONNECTIONS);
            dataSource = pool;
            dialect = SQLDialect.POSTGRES;
        } else {
            throw new IllegalArgumentException("unsupported database URL '" + url
                    + "': use jdbc:h2:file:PATH, jdbc:h2:mem:NAME or jdbc:postgresql://HOST:PORT/DB");
        }
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new Database(dataSource, dialect, recovery);
    }

    public DSLContext dsl() {
        return dsl;
    }

    public SQLDialect dialect() {
        return dialect;
    }

    /** What opening found: an H2 file a kill had left unclean is scanned whole first ({@link H2Recovery}). */
    public H2Recovery.Outcome recovery() {
        return recovery;
    }

    @Override
    public void close() {
        if (dataSource instanceof JdbcConnectionPool pool) pool.dispose();
    }

    /**
     * Closes the database for good, as its owner stops: on an H2 file this process hosts, H2's {@code SHUTDOWN} closes it
     * even if a connection was not given back, and marks the file clean (it opens next time without recovery); otherwise
     * (PostgreSQL, or an H2 file another process hosts and this one reaches through AUTO_SERVER) as {@link #close()}.
     */
    public void shutdown() {
        if (dialect == SQLDialect.H2) {
            try (var c = dataSource.getConnection()) {
                if (c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal) {
                    try (var s = c.createStatement()) {
                        s.execute("SHUTDOWN");
                    }
                }
            } catch (java.sql.SQLException e) {
                // closed already, or closing: nothing more to do
            }
        }
        close();
    }
}
