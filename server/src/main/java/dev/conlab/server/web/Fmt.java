package dev.conlab.server.web;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages write numbers: durations with a unit, bytes in binary units, ratios with three digits. */
public final class Fmt {

    private Fmt() {
    }

    /** A chart's unit, chosen so that its largest value reads well. */
    record Unit(String symbol, double nanos) {
        /** The value in this unit, to about six significant digits (a chart's small bars must not round to 0). */
        double of(double valueNanos) {
            double v = valueNanos / nanos;
            if (v == 0) return 0;
            double scale = Math.pow(10, 5 - Math.floor(Math.log10(Math.abs(v))));
            return Math.round(v * scale) / scale;
        }
    }

    static Unit unitFor(double largestNanos) {
        if (largestNanos >= 1e9) return new Unit("s", 1e9);
        if (largestNanos >= 1e6) return new Unit("ms", 1e6);
        return new Unit("µs", 1e3);
    }

    /** The same as the CLI's: 1.002 s, 12.34 ms, 5.6 µs. */
    static String duration(double nanos) {
        return dev.conlab.cli.Format.duration(nanos);
    }

    public static String bytes(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        if (bytes >= 1L << 10) return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) (1L << 10));
        return bytes + " B";
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return String.valueOf((long) value);
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }

    static String text(String value) {
        return value == null ? "—" : value;
    }

    static String cores(Integer logical, Integer physical) {
        if (logical == null) return "—";
        return logical + " logical" + (physical == null ? "" : ", " + physical + " physical");
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

    static String time(OffsetDateTime time) {
        return time == null ? "—" : time.withOffsetSameInstant(java.time.ZoneOffset.UTC).format(TIME);
    }

    static String seconds(Object value) {
        if (!(value instanceof Number n)) return null;
        long s = Math.round(n.doubleValue());
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
}
