package dev.conlab.server.core;

/** The lab's size limits, each in one place. */
public final class Limits {

    /** A result document (upload, import, sample data): larger ones are refused with 413. */
    public static final long MAX_DOCUMENT_BYTES = 8L << 20;

    /** How the document limit reads in sentences. */
    public static final String MAX_DOCUMENT_TEXT = "8 MiB";

    /**
     * How much of an oversized body the server still reads (and throws away) before it answers 413: clients such as
     * Python's urllib write the whole body before they read the answer, and a server that closes the connection
     * first gives them a broken pipe instead of the 413 and its sentence. Bodies beyond this are cut off.
     */
    public static final long MAX_DRAINED_BYTES = 64L << 20;

    /** A machine's label: 1 to this many characters (a rename, an agent's machine, a doctor check's machine). */
    public static final int MAX_MACHINE_LABEL = 200;

    /** How the label rule reads in sentences. */
    public static final String MACHINE_LABEL_RULE = "1 to " + MAX_MACHINE_LABEL + " characters";

    private Limits() {
    }

    /** Whether {@code label} is a machine label by the rule: not blank, at most {@value #MAX_MACHINE_LABEL} characters stripped. */
    public static boolean machineLabel(String label) {
        return label != null && !label.isBlank() && label.strip().length() <= MAX_MACHINE_LABEL;
    }

    /** The sentence of a 413. */
    public static String documentTooLarge(Long bytes) {
        return (bytes == null ? "the document is larger than " : "the document is " + bytes + " bytes; ")
                + "the limit is " + MAX_DOCUMENT_BYTES + " bytes (" + MAX_DOCUMENT_TEXT + ")";
    }
}
