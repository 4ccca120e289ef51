package dev.conlab.bench;

/** A user's mistake in a run request: the message says what was wrong and names the valid choices. */
public final class InvalidSpecException extends IllegalArgumentException {
    public InvalidSpecException(String message) {
        super(message);
    }
}
