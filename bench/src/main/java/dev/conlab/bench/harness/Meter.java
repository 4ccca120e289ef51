package dev.conlab.bench.harness;

import dev.conlab.bench.Sample;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Takes the metric readings around one iteration; each figure counts what its source says (see docs/RESULTS.md). */
final class Meter {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final AllocationCounter allocation = new AllocationCounter();
    private final ContextSwitches switches = new ContextSwitches();

    record Mark(long cpuNanos, Object allocation, long gcCount, long gcMillis, Object switches) {
    }

    /** Where each figure comes from, stored with every cell. */
    Map<String, String> sources() {
        var map = new LinkedHashMap<String, String>();
        map.put("wallNanos", "System.nanoTime around the model's execution");
        map.put("cpuNanos", (switches.hasRusageCpu() ? "getrusage(RUSAGE_SELF) user + system"
                : "OperatingSystemMXBean.getProcessCpuTime") + " (all threads, ended ones too), plus each child JVM's own report");
        map.put("cpuResolutionNanos", Long.toString(cpuResolutionNanos()));
        map.put("allocBytes", allocation.source());
        map.put("gc", "GarbageCollectorMXBeans (time has millisecond resolution)");
        map.put("peakThreads", "ThreadMXBean peak, reset before each iteration (platform threads: virtual-thread carriers count, virtual threads do not)");
        map.put("ctxSwitches", switches.source());
        return map;
    }

    /**
     * The step of the CPU clock. Linux's getProcessCpuTime counts times() ticks (USER_HZ = 100: 10 ms), too
     * coarse for short iterations; getrusage counts microseconds.
     */
    long cpuResolutionNanos() {
        if (switches.hasRusageCpu()) return 1_000;
        return System.getProperty("os.name", "").startsWith("Linux") ? 10_000_000L : 1;
    }

    private long processCpuNanos() {
        long rusage = switches.cpuNanos();
        return rusage >= 0 ? rusage : os.getProcessCpuTime();
    }

    Mark mark() {
        threads.resetPeakThreadCount();
        long count = 0, millis = 0;
        for (GarbageCollectorMXBean gc : collectors) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        Object alloc = allocation.mark();
        Object ctx = switches.mark();
        return new Mark(processCpuNanos(), alloc, count, millis, ctx);
    }

    Sample sample(Mark before, long wallNanos, long childCpuNanos) {
        long cpu = processCpuNanos();
        long[] ctx = switches.since(before.switches());
        Long alloc = allocation.since(before.allocation());
        long count = 0, millis = 0;
        for (GarbageCollectorMXBean gc : collectors) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        Long cpuNanos = cpu < 0 || before.cpuNanos() < 0 ? null : cpu - before.cpuNanos() + Math.max(0, childCpuNanos);
        return new Sample(wallNanos, cpuNanos, alloc, count - before.gcCount(), (millis - before.gcMillis()) * 1_000_000L,
                (long) threads.getPeakThreadCount(), ctx == null ? null : ctx[0], ctx == null ? null : ctx[1]);
    }
}
