package dev.conlab.bench;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a JDK 17, Debian's python3, PyPy, Chromium, PostgreSQL): skipped loudly where it is
 * missing on a developer's machine, and a failure under {@code CI=true}, where `.ci/run` installs or finds every one of them —
 * so that CI never skips a test.
 */
public final class Required {

    private Required() {
    }

    /** Passes when {@code present}; otherwise fails under CI, and skips the test with a {@code SKIPPED:} line elsewhere. */
    public static void orSkip(boolean present, String what) {
        if (present) return;
        if (ci()) throw new AssertionError("CI needs " + what + ": .ci/run installs it");
        System.err.println("SKIPPED: this test needs " + what);
        Assumptions.abort("needs " + what);
    }

    public static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }
}
