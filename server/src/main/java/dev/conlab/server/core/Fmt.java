package dev.conlab.server.core;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the lab writes numbers for people, the same in the terminal and on the pages: durations with a unit, bytes in
 * binary units, ratios with two or three digits.
 */
public final class Fmt {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);

    private Fmt() {
    }

    /** 1.002 s, 12.34 ms, 5.6 µs, 800 ns. */
    public static String duration(double nanos) {
        double abs = Math.abs(nanos);
        if (abs >= 1e9) return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
        if (abs >= 1e6) return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        if (abs >= 1e3) return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        return String.format(Locale.ROOT, "%.0f ns", nanos);
    }

    /** 2.00× for a ratio with a suffix; an em dash for none. */
    public static String ratio(Double value, String suffix) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.2f%s", value, suffix);
    }

    /** m:ss, for elapsed times in a terminal. */
    public static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    public static String bytes(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        if (bytes >= 1L << 10) return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) (1L << 10));
        return bytes + " B";
    }

    /** An imported JMH score in its unit, to four significant digits: 20.34 ops/us, 0.06012 us/op; JMH's NaN as NaN. */
    public static String score(double value, String unit) {
        if (!Double.isFinite(value)) return (Double.isNaN(value) ? "NaN" : value > 0 ? "+∞" : "−∞") + " " + unit;
        if (value == 0) return "0 " + unit;
        String text = new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return text + " " + unit;
    }

    /** A whole number as is, else two, one or no decimals by size. */
    public static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return String.valueOf((long) value);
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }

    public static String text(String value) {
        return value == null ? "—" : value;
    }

    public static String cores(Integer logical, Integer physical) {
        if (logical == null) return "—";
        return logical + " logical" + (physical == null ? "" : ", " + physical + " physical");
    }

    public static String time(OffsetDateTime time) {
        return time == null ? "—" : time.withOffsetSameInstant(java.time.ZoneOffset.UTC).format(TIME);
    }

    /** 42 s, 3 min 5 s; null for none. */
    /** "4 s ago", "3 min ago", "2 h ago", "5 d ago"; "never" for null. */
    public static String ago(OffsetDateTime time) {
        if (time == null) return "never";
        long s = Math.max(0, java.time.Duration.between(time, OffsetDateTime.now(time.getOffset())).getSeconds());
        if (s < 120) return s + " s ago";
        if (s < 7200) return s / 60 + " min ago";
        if (s < 172_800) return s / 3600 + " h ago";
        return s / 86_400 + " d ago";
    }

    public static String seconds(Double value) {
        if (value == null) return null;
        long s = Math.round(value);
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
}
