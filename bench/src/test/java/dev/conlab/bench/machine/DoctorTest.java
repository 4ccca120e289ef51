package dev.conlab.bench.machine;

import dev.conlab.bench.MachineCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** conlab doctor's findings on folders shaped like two machines' /sys and /proc: one tuned, one left as it came. */
class DoctorTest {

    @TempDir
    Path root;

    private void write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private MachineCheck.Item item(MachineCheck check, String name) {
        return check.items().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void a_laptop_as_it_came_gets_a_warning_and_what_to_do_for_each_finding() throws IOException {
        for (int cpu = 0; cpu < 4; cpu++) {
            write("sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor", "powersave\n");
            write("sys/devices/system/cpu/cpu" + cpu + "/topology/thread_siblings_list", (cpu % 2 == 0 ? cpu + "," + (cpu + 1) : (cpu - 1) + "," + cpu) + "\n");
        }
        write("sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
        write("sys/devices/system/cpu/isolated", "\n");
        write("proc/loadavg", "2.50 1.00 0.50 3/300 999\n");
        MachineCheck check = new Doctor(new ProcFiles(root), MachineMonitor.off()).check(0, pct -> { });
        assertThat(check.verdict()).isEqualTo(MachineCheck.Level.WARN);
        assertThat(item(check, "CPU frequency governor").level()).isEqualTo(MachineCheck.Level.WARN);
        assertThat(item(check, "CPU frequency governor").advice()).contains("performance");
        assertThat(item(check, "Turbo").value()).isEqualTo("on (intel_pstate)");
        assertThat(item(check, "SMT (hyper-threading)").value()).contains("0,1").contains("2,3");
        assertThat(item(check, "Load now").level()).isEqualTo(MachineCheck.Level.WARN);
        assertThat(check.items()).allSatisfy(i -> {
            if (i.level() == MachineCheck.Level.WARN) assertThat(i.advice()).isNotBlank();
        });
        assertThat(check.capacity()).isNull();
    }

    @Test
    void a_tuned_machine_is_fit_and_a_virtual_machine_says_what_it_cannot_know() throws IOException {
        write("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance\n");
        write("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance\n");
        write("sys/devices/system/cpu/intel_pstate/no_turbo", "1\n");
        write("sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "0\n");
        write("sys/devices/system/cpu/cpu1/topology/thread_siblings_list", "1\n");
        write("sys/devices/system/cpu/isolated", "1\n");
        write("proc/loadavg", "0.02 0.01 0.00 1/80 100\n");
        MachineCheck tuned = new Doctor(new ProcFiles(root), MachineMonitor.off()).check(0, pct -> { });
        assertThat(item(tuned, "CPU frequency governor").level()).isEqualTo(MachineCheck.Level.OK);
        assertThat(item(tuned, "Turbo").level()).isEqualTo(MachineCheck.Level.OK);
        assertThat(item(tuned, "Isolated CPUs").advice()).contains("taskset -c 1");
        assertThat(item(tuned, "Load now").level()).isEqualTo(MachineCheck.Level.OK);

        Path vm = root.resolve("vm");
        Files.createDirectories(vm.resolve("sys/devices/system/cpu/cpu0"));
        MachineCheck unknown = new Doctor(new ProcFiles(vm), MachineMonitor.off()).check(0, pct -> { });
        assertThat(item(unknown, "CPU frequency governor").level()).isEqualTo(MachineCheck.Level.UNKNOWN);
        assertThat(item(unknown, "CPU frequency governor").advice()).contains("virtual machine");
        assertThat(item(unknown, "Turbo").level()).isEqualTo(MachineCheck.Level.UNKNOWN);
        assertThat(item(unknown, "Load now").level()).isEqualTo(MachineCheck.Level.UNKNOWN);
    }

    @Test
    void the_capacity_probe_over_some_seconds_gives_its_spread() {
        MachineCheck check = Doctor.onThisMachine().check(0.5, pct -> { });
        assertThat(check.capacity()).isNotNull();
        assertThat(check.capacity().probes()).isPositive();
        assertThat(check.capacity().min()).isLessThanOrEqualTo(check.capacity().median());
        assertThat(check.capacity().median()).isLessThanOrEqualTo(check.capacity().max());
        assertThat(check.items()).anyMatch(i -> i.name().equals("Capacity"));
    }
}
