package dev.conlab.cli;

import dev.conlab.bench.InvalidSpecException;
import dev.conlab.server.core.LabException;
import picocli.CommandLine;

/**
 * A user's mistake prints one line that says what was wrong (and the valid choices) and exits 2; anything
 * else prints its cause on one line and exits 1. Never a stack trace, unless CONLAB_DEBUG is set.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {

    static final int USAGE = 2;
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (System.getenv("CONLAB_DEBUG") != null) e.printStackTrace();
        if (e instanceof InvalidSpecException || e instanceof LabException.Invalid || e instanceof CommandLine.ParameterException) {
            cmd.getErr().println("conlab: " + e.getMessage());
            return USAGE;
        }
        cmd.getErr().println("conlab: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        return FAILURE;
    }
}
