package dev.conlab.cli;

import dev.conlab.bench.InvalidSpecException;
import dev.conlab.db.Database;
import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Manage API tokens: writes over the API (upload, queue, cancel, delete) need one. Only a hash is stored.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token and print it once.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DatabaseOptions db;
        @Option(names = "--name", required = true, description = "A name to list and revoke it by, e.g. ci-runner.")
        String name;
        @Option(names = "--scopes", paramLabel = "SCOPES", completionCandidates = Candidates.Scopes.class,
                description = "Comma-separated, any of: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
        String scopes = Scope.UPLOAD.id();

        @Override
        public Integer call() throws Exception {
            try (Database database = db.open()) {
                String secret;
                try {
                    secret = new TokenStore(database).create(name, Scope.parse(scopes));
                } catch (IllegalArgumentException e) {
                    throw new InvalidSpecException(e.getMessage());
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println(secret);
                out.flush();
                spec.commandLine().getErr().println("Token '" + name + "' (" + Scope.join(Scope.parse(scopes)) + ") created. It is shown only now: keep it, e.g. in CONLAB_TOKEN.");
                return 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (names, scopes, dates; never the secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DatabaseOptions db;

        @Override
        public Integer call() throws Exception {
            try (Database database = db.open()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-24s %-20s %-26s %s%n", "NAME", "SCOPES", "CREATED", "REVOKED");
                for (TokenStore.Token t : new TokenStore(database).list()) {
                    out.printf("%-24s %-20s %-26s %s%n", t.name(), Scope.join(t.scopes()), t.createdAt(),
                            t.revokedAt() == null ? "-" : t.revokedAt());
                }
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by name.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DatabaseOptions db;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Database database = db.open()) {
                if (!new TokenStore(database).revoke(name)) {
                    throw new InvalidSpecException("no live token named '" + name + "'; see conlab token list");
                }
                spec.commandLine().getOut().println("Token '" + name + "' revoked.");
                spec.commandLine().getOut().flush();
                return 0;
            }
        }
    }
}
