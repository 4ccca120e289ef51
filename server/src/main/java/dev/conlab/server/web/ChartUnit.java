package dev.conlab.server.web;

/** A chart's unit, chosen so that its largest value reads well. */
record ChartUnit(String symbol, double nanos) {

    static ChartUnit forLargest(double largestNanos) {
        if (largestNanos >= 1e9) return new ChartUnit("s", 1e9);
        if (largestNanos >= 1e6) return new ChartUnit("ms", 1e6);
        return new ChartUnit("µs", 1e3);
    }

    /** The value in this unit, to about six significant digits (a chart's small bars must not round to 0). */
    double of(double valueNanos) {
        double v = valueNanos / nanos;
        if (v == 0) return 0;
        double scale = Math.pow(10, 5 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }
}
