package dev.conlab.cli;

import dev.conlab.bench.RunDocument;

import java.io.PrintWriter;

/** Opens {@code RunCommand.printClaims} (package-private) to the claims tests of another package. */
public final class RunCommandClaims {

    private RunCommandClaims() {
    }

    public static void print(RunDocument doc, PrintWriter out) {
        RunCommand.printClaims(doc, out);
    }
}
