package dev.conlab.bench;

/**
 * The command a run was measured in: one sitting measures every cell of every target (JDK or interpreter) it names, and
 * its documents share the sitting's id, so that a comparison of two of them knows they were measured side by side.
 *
 * @param id          shared by the documents of one command
 * @param targets     how many targets (one document each) the sitting measured
 * @param interleaved whether its forks ran in rounds (round r = fork r of every cell of every target, in an order shuffled
 *                    by {@code seed}), so that forks of one round can be paired
 * @param seed        the seed of the rounds' order; null when not interleaved
 * @param rounds      how many rounds ran; null when not interleaved
 */
public record Sitting(String id, int targets, boolean interleaved, Long seed, Integer rounds) {
}
