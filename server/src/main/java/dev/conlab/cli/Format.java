package dev.conlab.cli;

import java.util.Locale;

/** How durations and ratios read in a terminal (and, for durations, on the dashboard's pages). */
public final class Format {

    private Format() {
    }

    public static String duration(double nanos) {
        double abs = Math.abs(nanos);
        if (abs >= 1e9) return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
        if (abs >= 1e6) return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        if (abs >= 1e3) return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        return String.format(Locale.ROOT, "%.0f ns", nanos);
    }

    static String ratio(Double value, String suffix) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.2f%s", value, suffix);
    }

    static String seconds(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
