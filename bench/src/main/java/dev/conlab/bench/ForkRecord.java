package dev.conlab.bench;

/**
 * One fork of a cell: a fresh worker (JVM or interpreter process) that measured it, with the machine beside it.
 *
 * @param fork      the fork's number, as its samples carry it ({@link Sample#fork()})
 * @param round     the round of an interleaved sitting it ran in (round r runs fork r of every cell of every target, in a
 *                  shuffled order; a replacement for a disturbed fork runs in the same round); null when not interleaved
 * @param pid       the worker's process id
 * @param machine   the machine during the fork; null where it was not measured (imported documents)
 * @param disturbed why the fork's figures are left out of the cell's statistics (one sentence with the figures), or null
 *                  for a clean fork
 */
public record ForkRecord(int fork, Integer round, Long pid, MachineState machine, String disturbed) {

    public boolean clean() {
        return disturbed == null;
    }
}
