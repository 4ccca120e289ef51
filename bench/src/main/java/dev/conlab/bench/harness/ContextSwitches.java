package dev.conlab.bench.harness;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Voluntary and involuntary context switches of this process. On JDK 22+ on Linux, {@code getrusage
 * (RUSAGE_SELF)} through the Foreign Function API (called reflectively, so this class still compiles for
 * Java 17): it counts every thread, ended ones included. Otherwise the per-thread counts under
 * {@code /proc/self/task/*}/status, which miss threads that ended: a lower bound. Elsewhere: null.
 */
final class ContextSwitches {

    /** rusage on Linux x86_64 and aarch64: two timevals (user, system), then 14 longs; ru_nvcsw and ru_nivcsw are the last two. */
    private static final int RUSAGE_SIZE = 144;
    private static final int NVCSW_OFFSET = 128;
    private static final int NIVCSW_OFFSET = 136;

    private final MethodHandle getrusage;
    private final Object buffer;
    private final Method getLong;
    private final Object longLayout;
    private final boolean procTasks;

    ContextSwitches() {
        MethodHandle handle = null;
        Object segment = null;
        Method get = null;
        Object layout = null;
        if (Runtime.version().feature() >= 22 && System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
                Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
                Class<?> memoryLayout = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> memorySegment = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
                Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
                Optional<?> symbol = (Optional<?>) Class.forName("java.lang.foreign.SymbolLookup")
                        .getMethod("find", String.class).invoke(lookup, "getrusage");
                if (symbol.isPresent()) {
                    Object jint = valueLayout.getField("JAVA_INT").get(null);
                    Object address = valueLayout.getField("ADDRESS").get(null);
                    Object args = Array.newInstance(memoryLayout, 2);
                    Array.set(args, 0, jint);
                    Array.set(args, 1, address);
                    Object fd = descriptor.getMethod("of", memoryLayout, args.getClass()).invoke(null, jint, args);
                    handle = (MethodHandle) linkerClass.getMethod("downcallHandle", memorySegment, descriptor,
                            Array.newInstance(optionClass, 0).getClass())
                            .invoke(linker, symbol.get(), fd, Array.newInstance(optionClass, 0));
                    Object global = arena.getMethod("global").invoke(null);
                    segment = arena.getMethod("allocate", long.class).invoke(global, (long) RUSAGE_SIZE);
                    layout = valueLayout.getField("JAVA_LONG").get(null);
                    get = memorySegment.getMethod("get", Class.forName("java.lang.foreign.ValueLayout$OfLong"), long.class);
                    handle.invokeWithArguments(0, segment); // fail here, not in a measurement
                }
            } catch (Throwable unavailable) {
                handle = null;
            }
        }
        getrusage = handle;
        buffer = segment;
        getLong = get;
        longLayout = layout;
        procTasks = Files.isDirectory(Path.of("/proc/self/task"));
    }

    /** True when {@link #cpuNanos} can answer (getrusage is available). */
    boolean hasRusageCpu() {
        return getrusage != null;
    }

    /** User plus system CPU time of every thread of this process, ended ones included, in µs steps; -1 if unavailable. */
    long cpuNanos() {
        if (getrusage == null) return -1;
        try {
            getrusage.invokeWithArguments(0, buffer);
            long userSeconds = (Long) getLong.invoke(buffer, longLayout, 0L);
            long userMicros = (Long) getLong.invoke(buffer, longLayout, 8L);
            long systemSeconds = (Long) getLong.invoke(buffer, longLayout, 16L);
            long systemMicros = (Long) getLong.invoke(buffer, longLayout, 24L);
            return (userSeconds + systemSeconds) * 1_000_000_000L + (userMicros + systemMicros) * 1_000L;
        } catch (Throwable e) {
            return -1;
        }
    }

    String source() {
        if (getrusage != null) return "getrusage-self";
        if (procTasks) return "proc-tasks-lower-bound";
        return null;
    }

    /** An opaque mark, or null where nothing can be counted. */
    Object mark() {
        if (getrusage != null) {
            try {
                getrusage.invokeWithArguments(0, buffer);
                return new long[] {(Long) getLong.invoke(buffer, longLayout, (long) NVCSW_OFFSET),
                        (Long) getLong.invoke(buffer, longLayout, (long) NIVCSW_OFFSET)};
            } catch (Throwable e) {
                return null;
            }
        }
        if (procTasks) return perTask();
        return null;
    }

    /** {voluntary, involuntary} since the mark, or null. */
    @SuppressWarnings("unchecked")
    long[] since(Object mark) {
        if (mark == null) return null;
        Object now = mark();
        if (now == null) return null;
        if (mark instanceof long[] before) {
            long[] after = (long[]) now;
            return new long[] {after[0] - before[0], after[1] - before[1]};
        }
        Map<String, long[]> before = (Map<String, long[]>) mark;
        long voluntary = 0, involuntary = 0;
        for (var e : ((Map<String, long[]>) now).entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            voluntary += e.getValue()[0] - b[0];
            involuntary += e.getValue()[1] - b[1];
        }
        return new long[] {voluntary, involuntary};
    }

    private static Map<String, long[]> perTask() {
        Map<String, long[]> counts = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    long voluntary = 0, involuntary = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) voluntary = Long.parseLong(line.substring(24).trim());
                        else if (line.startsWith("nonvoluntary_ctxt_switches:")) involuntary = Long.parseLong(line.substring(27).trim());
                    }
                    counts.put(task.getFileName().toString(), new long[] {voluntary, involuntary});
                } catch (IOException | RuntimeException ended) {
                    // the thread ended while we looked
                }
            });
        } catch (IOException e) {
            return counts;
        }
        return counts;
    }
}
