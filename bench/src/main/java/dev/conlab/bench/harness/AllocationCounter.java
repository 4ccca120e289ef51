package dev.conlab.bench.harness;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated by this JVM's threads. JDK 17–20 (this class): the sum over live threads, so the
 * allocations of threads that ended during an iteration are missed and the figure is a lower bound. The
 * JDK 21 overlay uses {@code getTotalThreadAllocatedBytes()}, which counts ended threads too.
 */
final class AllocationCounter {

    static final String SOURCE = "live-threads-lower-bound";

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** An opaque mark: per-thread counts. */
    Object mark() {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> map = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) map.put(ids[i], bytes[i]);
        }
        return map;
    }

    /** Bytes allocated since the mark, or null if the JVM cannot tell. */
    @SuppressWarnings("unchecked")
    Long since(Object mark) {
        Map<Long, Long> before = (Map<Long, Long>) mark;
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) total += bytes[i] - before.getOrDefault(ids[i], 0L);
        }
        return total;
    }

    String source() {
        return SOURCE;
    }
}
