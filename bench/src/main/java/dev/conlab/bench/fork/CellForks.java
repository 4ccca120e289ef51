package dev.conlab.bench.fork;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.ForkRecord;
import dev.conlab.bench.Params;
import dev.conlab.bench.Sample;
import dev.conlab.bench.Settings;
import dev.conlab.bench.stats.Stats;
import dev.conlab.bench.stats.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One cell's forks so far and the rule of when it has enough: {@code forks} clean forks (a disturbed one is replaced, a
 * bounded number of times), or with a target interval, clean forks until the 95 % interval's half-width is within the target
 * or the most forks allowed ran. A fork that fails or times out ends the cell with that status.
 */
final class CellForks {

    final CellSpec spec;
    private final List<CellResult> forks = new ArrayList<>();
    private final List<ForkRecord> records = new ArrayList<>();
    private CellResult ended;
    Double idealPerOneThread;

    CellForks(CellSpec spec) {
        this.spec = spec;
    }

    /** Cells whose forks pair across the targets of a sitting: same workload, model and parameters. */
    String key() {
        return spec.workload() + "|" + spec.model() + "|" + Params.fromJson(spec.params()).values() + "|" + spec.modelParams();
    }

    void add(CellResult fork, ForkRecord record, Double perOneThread) {
        records.add(record);
        if (perOneThread != null) idealPerOneThread = perOneThread;
        if (ended != null) return;
        if (fork.status() != CellStatus.OK) {
            ended = fork;
            return;
        }
        forks.add(fork);
    }

    /** Whether a fork ended the cell (unsupported, failed, timed out): no fork measures it again. */
    boolean ended() {
        return ended != null;
    }

    int total() {
        return records.size();
    }

    int disturbed() {
        return (int) records.stream().filter(r -> !r.clean()).count();
    }

    int clean() {
        return total() - disturbed();
    }

    boolean lastDisturbed() {
        return !records.isEmpty() && !records.get(records.size() - 1).clean();
    }

    /** Whether another fork may replace a disturbed one. */
    boolean mayReplace(Settings settings) {
        return ended == null && disturbed() <= settings.replacementsAllowed() && total() < Settings.MOST_FORKS;
    }

    /** The half-width of the clean forks' 95 % interval as a percentage of their median; null without an interval. */
    Double halfWidthPct() {
        if (forks.isEmpty()) return null;
        List<Sample> clean = pooled().cleanSamples();
        if (clean.isEmpty()) return null;
        Summary s = Stats.summarize(clean.stream().mapToDouble(Sample::value).toArray(), clean.stream().map(Sample::fork).toArray(Integer[]::new));
        return s.ciHalfWidth() == null || s.median() <= 0 ? null : s.ciHalfWidth() / s.median() * 100;
    }

    /** Whether the cell has enough forks by its own rule. */
    boolean done(Settings settings) {
        if (ended != null) return true;
        int budget = settings.replacementsAllowed();
        if (total() >= Settings.MOST_FORKS) return true;
        if (!settings.adaptive()) return clean() >= settings.forks() || total() >= settings.forks() + budget;
        // (with no replacements allowed, a disturbed fork counts as one of the forks: total ≥ forks)
        if (clean() >= settings.maxForks() || total() >= settings.maxForks() + budget) return true;
        if (clean() < Math.max(2, settings.forks())) return false;
        Double half = halfWidthPct();
        return half != null && half <= settings.targetCiPct();
    }

    /** Why the cell has the forks it has, in one sentence. */
    String stopped(Settings settings) {
        if (ended != null) return null;
        var text = new StringBuilder();
        Double half = halfWidthPct();
        String width = half == null ? "no interval" : String.format(Locale.ROOT, "±%.1f %%", half);
        if (settings.adaptive()) {
            String target = String.format(Locale.ROOT, "±%s %%", trim(settings.targetCiPct()));
            if (half != null && half <= settings.targetCiPct() && clean() >= Math.max(2, settings.forks())) {
                text.append(width).append(" after ").append(clean()).append(" clean fork").append(clean() == 1 ? "" : "s")
                        .append(", within the target of ").append(target);
            } else {
                text.append(width).append(" after ").append(clean()).append(" clean fork").append(clean() == 1 ? "" : "s")
                        .append(clean() >= settings.maxForks() ? ", the most allowed (--max-forks " + settings.maxForks() + ")" : "")
                        .append(": the target of ").append(target).append(" was not reached");
            }
        } else {
            text.append(clean()).append(" clean fork").append(clean() == 1 ? "" : "s").append(clean() >= settings.forks() ? ", as set" : " of "
                    + settings.forks() + " set");
        }
        int d = disturbed();
        int budget = settings.replacementsAllowed();
        if (d > 0) {
            text.append("; ").append(d).append(" disturbed fork").append(d == 1 ? "" : "s").append(" left out of the statistics")
                    .append(clean() == 0 ? " — every fork was disturbed, so the figures use them all" : "")
                    .append(budget == 0 ? " (kept: this suite does not replace them)"
                            : d > budget ? " (replaced up to the limit of " + budget + ")" : " and replaced");
        }
        return text.toString();
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** Every fork's samples as one cell (a fork that ended the cell, its result), before the forks' records are added. */
    private CellResult pooled() {
        if (ended != null) return ended;
        CellResult all = forks.get(0);
        for (int i = 1; i < forks.size(); i++) {
            CellResult next = forks.get(i);
            all = all.withSamples(next.samples(), next.warmupWallNanos(), next.workerPids());
        }
        return all.withForks(List.copyOf(records), null);
    }

    /** The cell as the document keeps it: every fork's samples, each fork's record, why it stopped. */
    CellResult result(Settings settings) {
        return pooled().withForks(List.copyOf(records), stopped(settings));
    }

    boolean measured() {
        return !records.isEmpty();
    }
}
