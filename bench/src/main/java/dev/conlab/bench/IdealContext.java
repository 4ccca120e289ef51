package dev.conlab.bench;

import java.util.function.LongSupplier;

/**
 * What an ideal time may depend on.
 *
 * @param concurrency how many tasks the model runs at once (k)
 * @param processors  available processors of the measuring JVM (P)
 * @param oneThreadNanos T₁, measured on demand: the median time of all tasks run on one thread
 */
public record IdealContext(int concurrency, int processors, LongSupplier oneThreadNanos) {
}
