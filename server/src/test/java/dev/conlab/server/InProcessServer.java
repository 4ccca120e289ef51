package dev.conlab.server;

import dev.conlab.db.Database;
import dev.conlab.db.TestDatabases;
import io.javalin.Javalin;

import java.util.Set;

/** The app on a real Javalin server on a random loopback port, over one of the test databases (no queue runner). */
record InProcessServer(Database database, Services services, Javalin app, String base) implements AutoCloseable {

    static InProcessServer start(TestDatabases.Named db) {
        Database database = db.open().get();
        Services services = Services.over(database);
        Javalin app = App.create(services).start("127.0.0.1", 0);
        return new InProcessServer(database, services, app, "http://127.0.0.1:" + app.port());
    }

    String token(String name, String... scopes) {
        return services.tokens().create(name, Set.of(scopes));
    }

    @Override
    public void close() {
        app.stop();
        database.close();
    }
}
