package dev.conlab.server.runs;

import dev.conlab.bench.stats.Curves;
import dev.conlab.bench.stats.Usl;
import dev.conlab.server.core.Fmt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A swept run's curves as text: per curve, each model's points (time with its interval, throughput, memory per task,
 * p99 latency, the ideal), then the crossovers, where models break and the USL fits. What the CLI prints after a run
 * and what the Markdown export ends with; the page draws the same figures.
 */
public final class CurveText {

    private CurveText() {
    }

    public static String of(List<Curves.Curve> curves) {
        var out = new StringBuilder();
        for (Curves.Curve c : curves) {
            out.append('\n').append(c.title()).append('\n');
            out.append(String.format(Locale.ROOT, "%-22s %10s %12s %11s %16s %11s %12s %10s%n", "MODEL", c.unit().toUpperCase(Locale.ROOT),
                    "MEDIAN", "±95% CI", "THROUGHPUT", "MEM/TASK", "P99 LATENCY", "IDEAL"));
            for (Curves.Line line : c.lines()) {
                String label = line.label();
                for (Curves.Point p : line.points()) {
                    if (!p.measured()) {
                        out.append(String.format(Locale.ROOT, "%-22s %10s %12s  %s%n", label, Curves.count(p.x()),
                                p.status().id().toUpperCase(Locale.ROOT), p.error() == null ? "" : p.error()));
                    } else {
                        Double half = p.wall().ciHalfWidth();
                        out.append(String.format(Locale.ROOT, "%-22s %10s %12s %11s %16s %11s %12s %10s%n", label, Curves.count(p.x()),
                                Fmt.duration(p.wall().median()), half == null ? "—" : "±" + Fmt.duration(half),
                                p.throughput() == null ? "—" : Fmt.number(p.throughput()) + " " + c.throughputUnit(),
                                p.memoryPerTask() == null ? "—" : Fmt.bytes(Math.round(p.memoryPerTask())),
                                p.latencyP99() == null ? "—" : Fmt.duration(p.latencyP99()),
                                p.idealNanos() == null ? "—" : Fmt.duration(p.idealNanos())));
                    }
                    label = "";
                }
            }
            for (String sentence : sentences(c)) out.append("  ").append(sentence).append('\n');
        }
        return out.toString();
    }

    /** Crossovers, breaks and USL fits of one curve, one sentence each: the page, the CLI and the exports say the same. */
    public static List<String> sentences(Curves.Curve c) {
        var list = new ArrayList<String>();
        if (c.crossovers().isEmpty()) {
            list.add("No crossover: no two models swap order between points whose intervals do not overlap.");
        }
        for (Curves.Crossover x : c.crossovers()) list.add("Crossover: " + x.sentence() + ".");
        for (Curves.Line line : c.lines()) {
            if (line.breaks() != null) list.add(line.label() + " " + line.breaks());
        }
        for (Curves.Line line : c.lines()) {
            if (line.usl() != null) list.add("USL of " + line.label() + ": " + usl(line.usl(), c.throughputUnit())
                    + (line.uslNote() == null ? "" : " — " + line.uslNote()));
            else if (line.uslNote() != null) list.add(line.label() + ": " + line.uslNote());
        }
        return list;
    }

    /** λ, σ, κ, the peak and R² in one line. */
    public static String usl(Usl u, String unit) {
        return String.format(Locale.ROOT, "λ = %s %s, σ = %.4f, κ = %.6f, %s, R² = %.3f (%d points)", Fmt.number(u.lambda()), unit, u.sigma(),
                u.kappa(), u.peak() == null ? (u.sigma() >= 1 ? "no peak (σ ≥ 1: no gain from concurrency)" : "no peak (κ ≈ 0)") : "peak at N* = " + Fmt.number(u.peak()), u.rSquared(), u.points());
    }
}
