package dev.conlab.bench.harness;

import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/** Reads the machine and the JVM. Whatever cannot be read stays null. */
public final class Probe {

    private Probe() {
    }

    public static JvmInfo jvm() {
        var runtime = ManagementFactory.getRuntimeMXBean();
        return new JvmInfo(Runtime.version().feature(), System.getProperty("java.version"),
                System.getProperty("java.vendor"), System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), System.getProperty("java.home"), gcName(),
                Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors(),
                ForkJoinPool.getCommonPoolParallelism(), List.copyOf(runtime.getInputArguments()));
    }

    static String gcName() {
        Set<String> names = new HashSet<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) names.add(gc.getName());
        String all = String.join(",", names);
        if (all.contains("G1")) return "G1";
        if (all.contains("ZGC")) return "ZGC";
        if (all.contains("Shenandoah")) return "Shenandoah";
        if (all.contains("PS ") || all.contains("Parallel")) return "Parallel";
        if (all.contains("Copy") || all.contains("MarkSweepCompact")) return "Serial";
        if (all.contains("Epsilon") || names.isEmpty()) return "Epsilon";
        return all;
    }

    /** The system property {@code conlab.machineName} is set from {@code --machine-name}; the environment has its own. */
    public static final String MACHINE_NAME_PROPERTY = "conlab.machineName";
    public static final String MACHINE_NAME_ENV = "CONLAB_MACHINE_NAME";

    /**
     * The name this process gives its machine ({@code --machine-name}, else {@code CONLAB_MACHINE_NAME}), or null: two
     * machines whose hardware facts are equal (cloned VMs, containers, several agents on one host) are told apart by it.
     */
    public static String machineName() {
        String name = System.getProperty(MACHINE_NAME_PROPERTY);
        if (name == null || name.isBlank()) name = System.getenv(MACHINE_NAME_ENV);
        return name == null || name.isBlank() ? null : checkMachineName(name);
    }

    /** A machine name: 1 to 100 letters, digits, '.', '_' or '-' (it is a label and part of the fingerprint). */
    public static String checkMachineName(String name) {
        if (name == null || !name.strip().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("bad machine name '" + name + "': use 1 to 100 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        return name.strip();
    }

    /**
     * This machine. With a {@link #machineName() name}, the name is its label and part of its fingerprint, so that it is
     * a machine of its own even where its hardware facts equal another's; without one the hardware facts decide.
     */
    public static MachineInfo machine() {
        MachineInfo facts = hardware();
        String name = machineName();
        return name == null ? facts : named(facts, name);
    }

    /** The machine {@code facts} describe, under {@code name}. */
    public static MachineInfo named(MachineInfo facts, String name) {
        return new MachineInfo(sha256(facts.fingerprint() + "|name=" + name).substring(0, 16), name, facts.hostname(), facts.os(),
                facts.cpu(), facts.memoryBytes(), facts.container());
    }

    private static MachineInfo hardware() {
        String hostname = hostname();
        List<String> cpuinfo = lines("/proc/cpuinfo");
        String model = first(cpuinfo, "model name");
        String vendor = first(cpuinfo, "vendor_id");
        if (model == null) model = first(cpuinfo, "Model"); // some ARM kernels
        Integer logical = cpuinfo.isEmpty() ? null : (int) cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
        if (logical != null && logical == 0) logical = null;
        Integer physical = physicalCores(cpuinfo);
        String mhzText = first(cpuinfo, "cpu MHz");
        Double mhz = mhzText == null ? null : Double.valueOf(mhzText);
        Long memory = meminfoBytes("MemTotal");
        if (memory == null) {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            memory = os.getTotalMemorySize() > 0 ? os.getTotalMemorySize() : null;
        }
        String kernel = read("/proc/sys/kernel/osrelease");
        var os = new MachineInfo.Os(System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), kernel);
        var cpu = new MachineInfo.Cpu(model, vendor, logical != null ? logical : Runtime.getRuntime().availableProcessors(),
                physical, mhz);
        String identity = String.join("|", String.valueOf(firstNonNull(read("/etc/machine-id"), hostname)),
                String.valueOf(model), String.valueOf(cpu.logicalCpus()),
                String.valueOf(memory == null ? null : Math.round(memory / (double) (1L << 30))),
                String.valueOf(os.arch()));
        return new MachineInfo(sha256(identity).substring(0, 16), hostname, hostname, os, cpu, memory, container());
    }

    static MachineInfo.Container container() {
        String v2 = read("/sys/fs/cgroup/cpu.max");
        if (v2 != null || Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            Double cpuLimit = null;
            if (v2 != null) {
                String[] parts = v2.trim().split("\\s+");
                if (parts.length == 2 && !parts[0].equals("max")) cpuLimit = Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
            }
            return new MachineInfo.Container(2, cpuLimit, limit(read("/sys/fs/cgroup/memory.max")));
        }
        String quota = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
        String period = read("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
        if (quota != null) {
            Double cpuLimit = null;
            long q = Long.parseLong(quota.trim());
            if (q > 0 && period != null) cpuLimit = q / Double.parseDouble(period.trim());
            return new MachineInfo.Container(1, cpuLimit, limit(read("/sys/fs/cgroup/memory/memory.limit_in_bytes")));
        }
        return new MachineInfo.Container(null, null, null);
    }

    /** A cgroup memory limit, or null for "max" and for the huge number cgroup v1 uses to mean unlimited. */
    private static Long limit(String text) {
        if (text == null || text.trim().equals("max")) return null;
        try {
            long value = Long.parseLong(text.trim());
            return value >= (1L << 60) ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer physicalCores(List<String> cpuinfo) {
        Set<String> cores = new HashSet<>();
        String physicalId = "0";
        for (String line : cpuinfo) {
            if (line.startsWith("physical id")) physicalId = value(line);
            if (line.startsWith("core id")) cores.add(physicalId + ":" + value(line));
        }
        return cores.isEmpty() ? null : cores.size();
    }

    private static String hostname() {
        String name = read("/proc/sys/kernel/hostname");
        if (name == null) name = System.getenv("HOSTNAME");
        if (name == null) name = System.getenv("COMPUTERNAME");
        if (name == null) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = null;
            }
        }
        return name == null ? null : name.trim();
    }

    private static Long meminfoBytes(String key) {
        String kb = first(lines("/proc/meminfo"), key);
        if (kb == null) return null;
        return Long.parseLong(kb.replace("kB", "").trim()) * 1024;
    }

    private static String first(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key) && line.indexOf(':') > 0 && line.substring(0, line.indexOf(':')).trim().equals(key)) {
                return value(line);
            }
        }
        return null;
    }

    private static String value(String line) {
        return line.substring(line.indexOf(':') + 1).trim();
    }

    private static List<String> lines(String path) {
        try {
            return Files.readAllLines(Path.of(path));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String read(String path) {
        try {
            String text = Files.readString(Path.of(path)).trim();
            return text.isEmpty() ? null : text;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
