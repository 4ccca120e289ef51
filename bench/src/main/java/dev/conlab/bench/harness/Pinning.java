package dev.conlab.bench.harness;

import dev.conlab.bench.Model;

/**
 * Virtual threads pinned to their carrier during an iteration (JFR's {@code jdk.VirtualThreadPinned}): JDK 21+, in the
 * multi-release overlay. This base class is what JDK 17 to 20 load: there is nothing to count.
 */
class Pinning {

    /** The probe for a cell of this model: pinning is counted only where virtual threads run. */
    static Pinning of(Model model) {
        return new Pinning();
    }

    void start() {
    }

    /** {count, total nanoseconds}, or null where not counted. */
    long[] stop() {
        return null;
    }

    /** Why the figures are null here: said in the cell's metric sources. */
    String source() {
        return "not measured: JFR's jdk.VirtualThreadPinned exists from JDK 21 on (this worker runs JDK "
                + Runtime.version().feature() + ")";
    }
}
