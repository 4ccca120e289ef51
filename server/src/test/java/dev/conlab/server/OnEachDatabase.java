package dev.conlab.server;

import dev.conlab.db.TestDatabases;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a test once per test database (H2 always, PostgreSQL where configured, see {@link TestDatabases}) with a
 * started {@link InProcessServer} on it as its parameter, closed after the test.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(OnEachDatabase.Provider.class)
public @interface OnEachDatabase {

    final class Provider implements TestTemplateInvocationContextProvider {

        @Override
        public boolean supportsTestTemplate(ExtensionContext context) {
            return context.getTestMethod().map(m -> m.isAnnotationPresent(OnEachDatabase.class)).orElse(false);
        }

        @Override
        public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
            return TestDatabases.all().stream().map(db -> new TestTemplateInvocationContext() {
                @Override
                public String getDisplayName(int invocationIndex) {
                    return db.name();
                }

                @Override
                public List<Extension> getAdditionalExtensions() {
                    return List.of(new Server(db));
                }
            });
        }
    }

    /** Starts the server when the test asks for it, and closes it after the test. */
    final class Server implements ParameterResolver {
        private final TestDatabases.Named db;

        Server(TestDatabases.Named db) {
            this.db = db;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == InProcessServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            InProcessServer server = InProcessServer.start(db);
            context.getStore(ExtensionContext.Namespace.create(Server.class, context.getUniqueId()))
                    .put("server", (ExtensionContext.Store.CloseableResource) server::close);
            return server;
        }
    }
}
