package dev.conlab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The docs name every option of every `conlab` command (README.md and docs/*.md: the CLI, Python, tasks, the server, operations). */
class CliDocsTest {

    @Test
    void every_option_of_every_command_is_in_the_docs() throws Exception {
        var docs = new StringBuilder(Files.readString(Path.of("..", "README.md")));
        try (var files = Files.list(Path.of("..", "docs"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".md")).toList()) docs.append(Files.readString(f));
        }
        var missing = new ArrayList<String>();
        for (var entry : Main.commandLine().getSubcommands().entrySet()) {
            for (CommandLine.Model.OptionSpec option : entry.getValue().getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) continue;
                // an option is named by any of its names: -p OWNER.NAME=VALUE is --param's
                boolean named = false;
                for (String name : option.names()) {
                    named |= java.util.regex.Pattern.compile("(^|[\\s`(])" + java.util.regex.Pattern.quote(name) + "(?![\\w-])")
                            .matcher(docs).find();
                }
                if (!named) missing.add("conlab " + entry.getKey() + " " + option.longestName());
            }
        }
        assertThat(missing).as("options no doc names").isEmpty();
    }
}
