package dev.conlab.bench.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Linux says of the machine's state, without privileges: {@code /proc/stat}, {@code /proc/<pid>/stat},
 * {@code /proc/loadavg}, {@code /proc/pressure/cpu}, the cgroup's {@code cpu.stat} and cpufreq. Every reader answers
 * null where the file is absent or unreadable (macOS, a container that hides it), never a guess.
 */
public final class ProcFiles {

    /** {@code /proc}'s clock tick (USER_HZ): 100 on every architecture Linux exports it for. */
    public static final long NANOS_PER_TICK = 10_000_000L;

    private final Path root;

    /** @param root {@code /} on a real machine; tests give a folder shaped like it */
    public ProcFiles(Path root) {
        this.root = root;
    }

    public static ProcFiles system() {
        return new ProcFiles(Path.of("/"));
    }

    /** Whether this OS has a {@code /proc/stat} at all. */
    public boolean available() {
        return Files.isReadable(root.resolve("proc/stat"));
    }

    /**
     * Clock ticks of the given CPUs: busy (user, nice, system, irq, softirq; guest time is inside user), idle (idle and
     * iowait), steal.
     */
    public record CpuTicks(long busy, long idle, long steal) {
        public long total() {
            return busy + idle + steal;
        }
    }

    /** The ticks of the CPUs in {@code cpus} (their {@code cpuN} lines), or of the whole machine when null. */
    public CpuTicks cpuTicks(Set<Integer> cpus) {
        List<String> lines = lines("proc/stat");
        long busy = 0, idle = 0, steal = 0;
        boolean found = false;
        for (String line : lines) {
            if (!line.startsWith("cpu")) continue;
            String[] f = line.trim().split("\\s+");
            String name = f[0];
            boolean aggregate = name.equals("cpu");
            if (cpus == null ? !aggregate : aggregate) continue;
            if (cpus != null) {
                try {
                    if (!cpus.contains(Integer.parseInt(name.substring(3)))) continue;
                } catch (NumberFormatException e) {
                    continue;
                }
            }
            if (f.length < 9) continue;
            long[] v = new long[8];
            for (int i = 0; i < 8; i++) v[i] = Long.parseLong(f[i + 1]);
            busy += v[0] + v[1] + v[2] + v[5] + v[6];
            idle += v[3] + v[4];
            steal += v[7];
            found = true;
        }
        return found ? new CpuTicks(busy, idle, steal) : null;
    }

    /** Threads running or runnable now ({@code procs_running}, which counts the reader itself). */
    public Integer procsRunning() {
        for (String line : lines("proc/stat")) {
            if (line.startsWith("procs_running ")) return Integer.parseInt(line.substring(14).trim());
        }
        return null;
    }

    /** The CPUs this process may run on ({@code Cpus_allowed_list}), or null where not listed. */
    public Set<Integer> allowedCpus() {
        for (String line : lines("proc/self/status")) {
            if (line.startsWith("Cpus_allowed_list:")) return parseList(line.substring(line.indexOf(':') + 1).trim());
        }
        return null;
    }

    /** A kernel CPU list ("0-3,6,8-9") as numbers; empty for an empty list. */
    public static Set<Integer> parseList(String list) {
        var cpus = new TreeSet<Integer>();
        if (list == null || list.isBlank()) return cpus;
        for (String part : list.trim().split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
            for (int c = from; c <= to; c++) cpus.add(c);
        }
        return cpus;
    }

    /**
     * The CPU ticks a process and everything under it used: its own user and system time, its reaped children's, and each
     * live descendant's (whose own reaped children are inside theirs). Null when the process cannot be read (it is gone).
     *
     * <p>A descendant reaped while the tree is read would be counted in neither place (read the parent, then the child is
     * reaped, then its file is gone) or in both: one such reading put "other processes" at 127 % of 2 CPUs for one second
     * of a {@code processes} fork, whose child JVMs end in every iteration. So the tree is read between two listings of
     * it, again when a descendant vanished in between (at most five times; the last reading otherwise).
     */
    public Long treeTicks(long pid) {
        Long sum = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            List<Long> listed = descendants(pid);
            Long own = ticks(pid);
            if (own == null) return null;
            long total = own;
            boolean steady = true;
            for (long child : listed) {
                Long t = ticks(child);
                if (t == null) {
                    steady = false;
                } else {
                    total += t;
                }
            }
            sum = total;
            if (steady && descendants(pid).containsAll(listed)) return sum;
        }
        return sum;
    }

    private List<Long> descendants(long pid) {
        var found = new ArrayList<Long>();
        var todo = new ArrayList<Long>(List.of(pid));
        while (!todo.isEmpty() && found.size() < 10_000) {
            long p = todo.remove(todo.size() - 1);
            for (String task : children(p)) {
                try {
                    long c = Long.parseLong(task);
                    found.add(c);
                    todo.add(c);
                } catch (NumberFormatException e) {
                    // not a pid
                }
            }
        }
        return found;
    }

    /** Children of every thread of the process ({@code /proc/P/task/T/children}). */
    private List<String> children(long pid) {
        var all = new ArrayList<String>();
        Path tasks = root.resolve("proc/" + pid + "/task");
        try (var stream = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) stream::iterator) {
                String text = read(task.resolve("children"));
                if (text != null && !text.isBlank()) all.addAll(List.of(text.trim().split("\\s+")));
            }
        } catch (IOException | RuntimeException e) {
            // gone, or no such file on this kernel
        }
        return all;
    }

    /** utime + stime + cutime + cstime of {@code /proc/P/stat}, in ticks. */
    Long ticks(long pid) {
        return ticks(String.valueOf(pid));
    }

    private Long ticks(String pid) {
        String text = read(root.resolve("proc/" + pid + "/stat"));
        if (text == null) return null;
        int close = text.lastIndexOf(')');
        if (close < 0) return null;
        String[] f = text.substring(close + 2).trim().split("\\s+");
        if (f.length < 15) return null;
        try {
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** This process's own CPU ticks (user and system, its reaped children's too). */
    public Long selfTicks() {
        return ticks("self");
    }

    /** The one-minute load average. */
    public Double load1() {
        String text = read(root.resolve("proc/loadavg"));
        if (text == null) return null;
        try {
            return Double.parseDouble(text.trim().split("\\s+")[0]);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Microseconds in which some task waited for a CPU, since boot ({@code /proc/pressure/cpu}); null without PSI. */
    public Long cpuPressureSomeMicros() {
        for (String line : lines("proc/pressure/cpu")) {
            if (!line.startsWith("some ")) continue;
            int at = line.indexOf("total=");
            if (at < 0) return null;
            try {
                return Long.parseLong(line.substring(at + 6).trim().split("\\s+")[0]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Throttling so far: CFS periods throttled and the time, ns. */
    public record Throttling(long periods, long nanos, String file) {
    }

    /**
     * This process's cgroup's throttling ({@code cpu.stat}: cgroup v2's {@code nr_throttled} and {@code throttled_usec}, v1's
     * {@code nr_throttled} and {@code throttled_time} in ns), or null where there is no such file.
     */
    public Throttling throttling() {
        for (Path file : cpuStatFiles()) {
            Long periods = null, usec = null, nanos = null;
            for (String line : lines(file)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length != 2) continue;
                try {
                    switch (kv[0]) {
                        case "nr_throttled" -> periods = Long.parseLong(kv[1]);
                        case "throttled_usec" -> usec = Long.parseLong(kv[1]);
                        case "throttled_time" -> nanos = Long.parseLong(kv[1]);
                        default -> { }
                    }
                } catch (NumberFormatException e) {
                    // an odd line; the rest still counts
                }
            }
            if (periods != null) return new Throttling(periods, usec != null ? usec * 1000 : nanos == null ? 0 : nanos, file.toString());
        }
        return null;
    }

    private List<Path> cpuStatFiles() {
        var files = new ArrayList<Path>();
        Path cgroups = root.resolve("sys/fs/cgroup");
        for (String line : lines("proc/self/cgroup")) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) continue;
            String path = parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
            if (parts[0].equals("0") && parts[1].isEmpty()) files.add(cgroups.resolve(path).resolve("cpu.stat"));
            for (String controller : parts[1].split(",")) {
                if (controller.equals("cpu")) {
                    files.add(cgroups.resolve(parts[1]).resolve(path).resolve("cpu.stat"));
                    files.add(cgroups.resolve("cpu").resolve(path).resolve("cpu.stat"));
                }
            }
        }
        files.add(cgroups.resolve("cpu.stat"));
        files.add(cgroups.resolve("cpu/cpu.stat"));
        return files.stream().filter(Files::isReadable).distinct().toList();
    }

    /** The mean current frequency of the given CPUs (cpufreq's {@code scaling_cur_freq}), MHz; null where cpufreq is absent. */
    public Double meanMhz(Set<Integer> cpus) {
        Path base = root.resolve("sys/devices/system/cpu");
        double sum = 0;
        int n = 0;
        for (int cpu : cpus == null ? Set.of(0) : cpus) {
            String khz = read(base.resolve("cpu" + cpu + "/cpufreq/scaling_cur_freq"));
            if (khz == null) continue;
            try {
                sum += Long.parseLong(khz.trim()) / 1000.0;
                n++;
            } catch (NumberFormatException e) {
                // skip
            }
        }
        return n == 0 ? null : sum / n;
    }

    /** A file under the root, trimmed; null when absent or unreadable. */
    public String text(String relative) {
        return read(root.resolve(relative));
    }

    public boolean exists(String relative) {
        return Files.exists(root.resolve(relative));
    }

    private List<String> lines(String relative) {
        return lines(root.resolve(relative));
    }

    private static List<String> lines(Path path) {
        try {
            return Files.readAllLines(path);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
