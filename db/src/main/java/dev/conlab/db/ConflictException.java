package dev.conlab.db;

/** A different document already stands under the same document id. */
public final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
