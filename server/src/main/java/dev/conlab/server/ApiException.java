package dev.conlab.server;

import java.util.List;

/** A client's mistake (4xx) with a sentence that says what was wrong and how to fix it, and optional details. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final List<?> details;

    public ApiException(int status, String message) {
        this(status, message, List.of());
    }

    public ApiException(int status, String message, List<?> details) {
        super(message);
        this.status = status;
        this.details = List.copyOf(details);
    }

    public int status() {
        return status;
    }

    public List<?> details() {
        return details;
    }
}
