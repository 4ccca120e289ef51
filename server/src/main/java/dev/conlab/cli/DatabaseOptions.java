package dev.conlab.cli;

import dev.conlab.db.Database;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The database options every command that touches the store shares, so they all act on the same one. */
final class DatabaseOptions {

    @Option(names = "--db", paramLabel = "URL", defaultValue = "${env:CONLAB_DB_URL}",
            description = "JDBC URL of the database (jdbc:postgresql://HOST/DB for a shared server). Default: an H2 file in --data-dir. Env: CONLAB_DB_URL.")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:CONLAB_DB_USER}",
            description = "Database user. Env: CONLAB_DB_USER.")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:CONLAB_DB_PASSWORD}",
            description = "Database password. Env: CONLAB_DB_PASSWORD.")
    String password;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:CONLAB_DATA_DIR:-./data}",
            description = "Where the embedded H2 database lives. Default: ${DEFAULT-VALUE}. Env: CONLAB_DATA_DIR.")
    Path dataDir;

    Database open() throws IOException {
        if (url == null || url.isBlank()) {
            Files.createDirectories(dataDir);
            return Database.open(Database.h2Url(dataDir), "sa", "");
        }
        return Database.open(url, user, password);
    }
}
