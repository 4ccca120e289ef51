package dev.conlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code conlab} command line: one picocli command per verb. */
@Command(name = "conlab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Concurrency Lab: measure the JVM's concurrency models on this machine and its JDKs.",
        subcommands = {RunCommand.class, ServeCommand.class, AgentCommand.class, UploadCommand.class, ImportCommand.class, ExportCommand.class,
                BackupCommand.class, TokenCommand.class,
                JdksCommand.class, RuntimesCommand.class, CatalogCommand.class, DoctorCommand.class, ApiJarCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(new Errors())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"conlab " + (v == null ? "development build" : v)};
        }
    }
}
