package dev.conlab.server.core;

import java.util.List;

/**
 * What a service refuses, by kind; the HTTP layer maps each kind to its status in one place (App). The message is
 * a sentence for the client: what was wrong and how to fix it.
 */
public abstract sealed class LabException extends RuntimeException {

    private final List<Problem> problems;

    LabException(String message, List<Problem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** The details, each with its path; may be empty. */
    public List<Problem> problems() {
        return problems;
    }

    /** The request is malformed or names what cannot be: 400. */
    public static final class Invalid extends LabException {
        public Invalid(String message) {
            this(message, List.of());
        }

        public Invalid(String message, List<Problem> problems) {
            super(message, problems);
        }
    }

    /** No such thing: 404. */
    public static final class NotFound extends LabException {
        public NotFound(String message) {
            super(message, List.of());
        }
    }

    /** The thing exists but is in a state that does not allow this: 409. */
    public static final class Conflict extends LabException {
        public Conflict(String message) {
            super(message, List.of());
        }
    }

    /** The caller may not do this to this thing (an agent's token and another machine's run): 403. */
    public static final class Forbidden extends LabException {
        public Forbidden(String message) {
            super(message, List.of());
        }
    }

    /** It existed and was withdrawn: 410. */
    public static final class Gone extends LabException {
        public Gone(String message) {
            super(message, List.of());
        }
    }
}
