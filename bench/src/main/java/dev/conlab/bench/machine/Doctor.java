package dev.conlab.bench.machine;

import dev.conlab.bench.MachineCheck;
import dev.conlab.bench.MachineCheck.Item;
import dev.conlab.bench.MachineCheck.Level;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.MachineState.Capacity;
import dev.conlab.bench.harness.Probe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * Is this machine fit to measure? Reads what bears on it — the frequency governor, turbo, SMT siblings, isolated CPUs, the
 * load now, container limits — and probes the capacity again and again for some seconds (min, median, max), each with what
 * to do about it, as pyperf's {@code system show} and {@code check} do.
 */
public final class Doctor {

    private final ProcFiles proc;
    private final MachineMonitor monitor;

    public Doctor(ProcFiles proc, MachineMonitor monitor) {
        this.proc = proc;
        this.monitor = monitor;
    }

    public static Doctor onThisMachine() {
        return new Doctor(ProcFiles.system(), MachineMonitor.onThisMachine());
    }

    /**
     * @param seconds  how long to probe the capacity (0: not at all)
     * @param progress hears the percentage done while it probes
     */
    public MachineCheck check(double seconds, IntConsumer progress) {
        MachineInfo machine = Probe.machine();
        Set<Integer> cpus = proc.allowedCpus();
        int count = cpus == null || cpus.isEmpty() ? Runtime.getRuntime().availableProcessors() : cpus.size();
        var items = new ArrayList<Item>();
        items.add(governor());
        items.add(turbo());
        items.add(smt());
        items.add(isolated(count));
        items.add(load(count));
        items.add(container());
        MachineCheck.CapacityRange range = seconds > 0 ? probe(seconds, count, cpus, progress) : null;
        if (range != null) items.addAll(judge(range));
        Level verdict = items.stream().anyMatch(i -> i.level() == Level.WARN) ? Level.WARN : Level.OK;
        return new MachineCheck(Instant.now().toString(), machine.label(), machine.fingerprint(), count, List.copyOf(items), range, verdict);
    }

    private Item governor() {
        var governors = new TreeSet<String>();
        for (int cpu = 0; cpu < 4096; cpu++) {
            if (!proc.exists("sys/devices/system/cpu/cpu" + cpu)) break;
            String g = proc.text("sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor");
            if (g != null) governors.add(g.trim());
        }
        if (governors.isEmpty()) {
            return new Item("CPU frequency governor", "absent", Level.UNKNOWN, "no cpufreq under /sys/devices/system/cpu: a virtual "
                    + "machine (its host's governor is out of reach) or a kernel without cpufreq; the capacity probe below shows what the "
                    + "CPUs give");
        }
        String value = String.join(", ", governors);
        if (governors.equals(Set.of("performance"))) return new Item("CPU frequency governor", value, Level.OK, null);
        return new Item("CPU frequency governor", value, Level.WARN, "the frequency follows the load, so a fork's speed depends on "
                + "what ran before it: set the performance governor while measuring (cpupower frequency-set -g performance, or "
                + "pyperf system tune)");
    }

    private Item turbo() {
        String noTurbo = proc.text("sys/devices/system/cpu/intel_pstate/no_turbo");
        String boost = proc.text("sys/devices/system/cpu/cpufreq/boost");
        String advice = "turbo makes the speed depend on temperature and on how many cores are busy, so one-thread and parallel cells "
                + "run at different clocks: turn it off while measuring (echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo, or "
                + "echo 0 > /sys/devices/system/cpu/cpufreq/boost)";
        if (noTurbo != null) {
            boolean on = noTurbo.trim().equals("0");
            return new Item("Turbo", on ? "on (intel_pstate)" : "off (intel_pstate)", on ? Level.WARN : Level.OK, on ? advice : null);
        }
        if (boost != null) {
            boolean on = boost.trim().equals("1");
            return new Item("Turbo", on ? "on (cpufreq boost)" : "off (cpufreq boost)", on ? Level.WARN : Level.OK, on ? advice : null);
        }
        return new Item("Turbo", "not exposed", Level.UNKNOWN, "neither intel_pstate/no_turbo nor cpufreq/boost is readable: a virtual "
                + "machine (its host decides) or a kernel that does not expose it");
    }

    private Item smt() {
        var siblings = new TreeSet<String>();
        for (int cpu = 0; cpu < 4096; cpu++) {
            if (!proc.exists("sys/devices/system/cpu/cpu" + cpu)) break;
            String list = proc.text("sys/devices/system/cpu/cpu" + cpu + "/topology/thread_siblings_list");
            if (list != null && ProcFiles.parseList(list.trim()).size() > 1) siblings.add(list.trim());
        }
        String active = proc.text("sys/devices/system/cpu/smt/active");
        String control = proc.text("sys/devices/system/cpu/smt/control");
        if (!siblings.isEmpty()) {
            return new Item("SMT (hyper-threading)", "on: CPUs " + String.join("; ", siblings) + " share a core", Level.WARN,
                    "two logical CPUs of one core compete for it, so a parallel cell on them gets less than two CPUs: the ideal "
                            + "assumes whole CPUs; turn SMT off (echo off > /sys/devices/system/cpu/smt/control) or read efficiencies "
                            + "against the capacity probe");
        }
        String value = control != null ? "no siblings visible (smt/control: " + control.trim() + ")"
                : active != null ? "no siblings visible (smt/active: " + active.trim() + ")" : "no siblings visible";
        return new Item("SMT (hyper-threading)", value, Level.OK, control != null && control.trim().equals("notsupported")
                ? "the guest sees no SMT; its vCPUs may still be siblings on the host, which only the capacity probe can show" : null);
    }

    private Item isolated(int count) {
        String text = proc.text("sys/devices/system/cpu/isolated");
        if (text == null) return new Item("Isolated CPUs", "not exposed", Level.UNKNOWN, null);
        if (text.isBlank()) {
            return new Item("Isolated CPUs", "none", Level.INFO, count <= 2
                    ? "the OS may schedule anything on every CPU; on " + count + " CPUs isolating one would leave too few to measure on"
                    : "the OS may schedule anything on every CPU: isolcpus= (or a cpuset) with taskset keeps other work off the measured ones");
        }
        return new Item("Isolated CPUs", text.trim(), Level.OK, "run the lab on them: taskset -c " + text.trim() + " ./conlab …");
    }

    private Item load(int count) {
        Double load = proc.load1();
        if (load == null) return new Item("Load now", "unknown", Level.UNKNOWN, "no /proc/loadavg on this OS");
        String value = String.format(Locale.ROOT, "%.2f (1-minute average) on %d CPUs", load, count);
        if (load > 0.5) {
            return new Item("Load now", value, Level.WARN, "something else is running (top, ps -eo pcpu,comm --sort=-pcpu | head): the "
                    + "lab flags and replaces the forks it disturbs, but a quiet machine measures faster and narrower");
        }
        return new Item("Load now", value, Level.OK, null);
    }

    private Item container() {
        MachineInfo.Container c = Probe.machine().container();
        if (c == null || c.cgroup() == null) return new Item("Container limits", "no cgroup", Level.OK, null);
        String memory = c.memoryLimitBytes() == null ? "no memory limit" : "memory limit " + (c.memoryLimitBytes() >> 20) + " MiB";
        if (c.cpuLimit() != null) {
            return new Item("Container limits", String.format(Locale.ROOT, "cgroup v%d, CPU quota %.2f CPUs, %s", c.cgroup(), c.cpuLimit(), memory),
                    Level.WARN, "a CPU quota throttles bursts, so parallel cells may stall for the rest of a period: give the container "
                    + "whole CPUs (--cpuset-cpus) rather than a quota; the lab records throttling per fork and flags it");
        }
        return new Item("Container limits", "cgroup v" + c.cgroup() + ", no CPU quota, " + memory, Level.OK, null);
    }

    /** The capacity probed every ~100 ms for {@code seconds}, with what else used the CPUs meanwhile. */
    private MachineCheck.CapacityRange probe(double seconds, int count, Set<Integer> cpus, IntConsumer progress) {
        var values = new ArrayList<Double>();
        ProcFiles.CpuTicks first = proc.cpuTicks(cpus);
        Long selfFirst = proc.selfTicks();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        Capacity last = null;
        int told = -1;
        while (System.nanoTime() < end) {
            last = monitor.probeNow();
            values.add(last.parallelism());
            int pct = (int) Math.min(100, (System.nanoTime() - start) * 100 / Math.max(1, end - start));
            if (pct / 10 != told) {
                told = pct / 10;
                progress.accept(pct);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ProcFiles.CpuTicks lastTicks = proc.cpuTicks(cpus);
        Long selfLast = proc.selfTicks();
        Double other = null, steal = null;
        if (first != null && lastTicks != null && lastTicks.total() > first.total() && selfFirst != null && selfLast != null) {
            long total = lastTicks.total() - first.total();
            other = Math.max(0, (lastTicks.busy() - first.busy()) - (selfLast - selfFirst)) / (double) total;
            steal = (lastTicks.steal() - first.steal()) / (double) total;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length == 0 ? 0 : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new MachineCheck.CapacityRange(Math.round((System.nanoTime() - start) / 1e8) / 10.0, sorted.length,
                last == null ? count : last.threads(), round(sorted.length == 0 ? 0 : sorted[0]), round(median),
                round(sorted.length == 0 ? 0 : Arrays.stream(sorted).max().orElse(0)), other == null ? null : round(other),
                steal == null ? null : round(steal));
    }

    private static List<Item> judge(MachineCheck.CapacityRange r) {
        var items = new ArrayList<Item>();
        String value = String.format(Locale.ROOT, "%.2f / %.2f / %.2f of %d CPUs (min / median / max of %d probes over %.0f s)",
                r.min(), r.median(), r.max(), r.threads(), r.probes(), r.seconds());
        double spread = (r.max() - r.min()) / Math.max(1, r.threads());
        if (spread > Disturbance.MAX_CAPACITY_CHANGE || r.median() < 0.75 * r.threads()) {
            items.add(new Item("Capacity", value, Level.WARN, String.format(Locale.ROOT, "the %d CPUs gave between %.2f and %.2f whole "
                    + "CPUs: parallel cells will vary with it. Measure with more forks (--target-ci 3), pair what you compare in one "
                    + "sitting (--interleave), and read each fork's capacity in the document", r.threads(), r.min(), r.max())));
        } else {
            items.add(new Item("Capacity", value, Level.OK, null));
        }
        if (r.otherShare() != null) {
            String other = String.format(Locale.ROOT, "%.0f %% of the CPUs while probing", r.otherShare() * 100);
            items.add(r.otherShare() > 0.05
                    ? new Item("Other processes", other, Level.WARN, "stop what else runs (top shows it): the lab replaces the forks it "
                    + "disturbs, at the cost of time")
                    : new Item("Other processes", other, Level.OK, null));
        }
        if (r.stealShare() != null) {
            String steal = String.format(Locale.ROOT, "%.1f %% of the CPUs while probing", r.stealShare() * 100);
            items.add(r.stealShare() > 0.01
                    ? new Item("Steal (hypervisor)", steal, Level.WARN, "the hypervisor gives these CPUs to other guests: a dedicated "
                    + "instance (or one with pinned vCPUs) measures steadier")
                    : new Item("Steal (hypervisor)", steal, Level.OK, "(steal reads 0 on some hypervisors even when they share the CPUs: "
                    + "the capacity spread above is the better witness)"));
        }
        return items;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
