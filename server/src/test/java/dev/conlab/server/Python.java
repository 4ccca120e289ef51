package dev.conlab.server;


/** Runs a Python script, as a client of the lab would: skipped with a message where there is no python3, except under CI. */
final class Python {

    private Python() {
    }

    static Process start(String script, String... args) throws Exception {
        var command = new java.util.ArrayList<String>(java.util.List.of("python3", "-c", script));
        command.addAll(java.util.List.of(args));
        try {
            return new ProcessBuilder(command).start();
        } catch (java.io.IOException e) {
            dev.conlab.bench.Required.orSkip(false, "python3 on the PATH (" + e.getMessage() + ")");
            throw e;
        }
    }
}
