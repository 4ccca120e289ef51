package dev.conlab.bench.stats;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.ForkRecord;
import dev.conlab.bench.MachineState;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a cell's forks say of the machine beside them, in the few figures a table has room for: derived from the document's
 * fork records, never stored.
 *
 * @param forks          forks that measured the cell (disturbed ones too); 0 for documents without fork records
 * @param disturbed      of them, disturbed (left out of the statistics)
 * @param otherShareMax  the largest share of the CPUs other processes used during one of its forks (0–1); null where not measured
 * @param capacity       the median effective parallelism over its forks, as a fraction of P (1.0 = every CPU whole)
 * @param capacityMin    the smallest
 * @param capacityMax    the largest
 * @param ciHalfWidthPct the half-width of the 95 % interval as a percentage of the median; null without an interval
 */
public record ForkFacts(int forks, int disturbed, Double otherShareMax, Double capacity, Double capacityMin, Double capacityMax,
                       Double ciHalfWidthPct) {

    public static ForkFacts of(CellResult cell) {
        Double half = null;
        if (!cell.samples().isEmpty()) {
            Summary s = CellSummary.wall(cell);
            if (s.ciHalfWidth() != null && s.median() > 0) half = s.ciHalfWidth() / s.median() * 100;
        }
        if (cell.forks() == null || cell.forks().isEmpty()) return new ForkFacts(0, 0, null, null, null, null, half);
        var machines = cell.forks().stream().map(ForkRecord::machine).filter(Objects::nonNull).toList();
        Double other = machines.stream().map(MachineState::otherShare).filter(Objects::nonNull).max(Double::compare).orElse(null);
        double[] capacities = machines.stream().map(MachineState::capacityShare).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .sorted().toArray();
        Double median = capacities.length == 0 ? null : capacities.length % 2 == 1 ? capacities[capacities.length / 2]
                : (capacities[capacities.length / 2 - 1] + capacities[capacities.length / 2]) / 2;
        return new ForkFacts(cell.forks().size(), (int) cell.forks().stream().filter(f -> !f.clean()).count(), other, median,
                capacities.length == 0 ? null : capacities[0], capacities.length == 0 ? null : Arrays.stream(capacities).max().orElseThrow(),
                half);
    }

    public boolean anyDisturbed() {
        return disturbed > 0;
    }
}
