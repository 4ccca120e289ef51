package dev.conlab.bench;

/** The work ran but produced a wrong answer: the cell fails with this message. */
public final class WrongResultException extends Exception {
    public WrongResultException(String message) {
        super(message);
    }

    public static void check(boolean condition, String message) throws WrongResultException {
        if (!condition) throw new WrongResultException(message);
    }
}
