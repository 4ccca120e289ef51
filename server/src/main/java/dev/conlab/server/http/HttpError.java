package dev.conlab.server.http;

import dev.conlab.server.core.Problem;

import java.util.List;

/**
 * A refusal that only HTTP has — a missing or weak token (401, 403), a body too large (413) or of the wrong type
 * (415) — with a sentence that says how to fix it. Services throw {@link dev.conlab.server.core.LabException}s.
 */
public final class HttpError extends RuntimeException {

    private final int status;
    private final List<Problem> problems;

    public HttpError(int status, String message) {
        this(status, message, List.of());
    }

    public HttpError(int status, String message, List<Problem> problems) {
        super(message);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public int status() {
        return status;
    }

    public List<Problem> problems() {
        return problems;
    }
}
