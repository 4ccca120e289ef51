package dev.conlab.bench.harness;

import java.lang.management.ManagementFactory;

/** JDK 21+: {@code getTotalThreadAllocatedBytes()} counts every thread, those that ended included. */
final class AllocationCounter {

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    Object mark() {
        return threads.getTotalThreadAllocatedBytes();
    }

    Long since(Object mark) {
        long now = threads.getTotalThreadAllocatedBytes();
        long before = (Long) mark;
        return now < 0 || before < 0 ? null : now - before;
    }

    String source() {
        return "total-thread-allocated-bytes";
    }
}
