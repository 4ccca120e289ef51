package dev.conlab.bench.machine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The readers on a folder shaped like a Linux machine's /proc and /sys, as the kernel writes them. */
class ProcFilesTest {

    @TempDir
    Path root;

    private void write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void cpu_ticks_count_the_allowed_cpus_busy_idle_and_steal() throws IOException {
        write("proc/stat", """
                cpu  1024 0 957 23595 42 0 51 7 0 0
                cpu0 466 0 471 11878 3 0 34 2 0 0
                cpu1 557 0 485 11716 38 0 17 5 0 0
                intr 69516 0 0
                procs_running 3
                procs_blocked 0
                """);
        ProcFiles proc = new ProcFiles(root);
        assertThat(proc.cpuTicks(null)).isEqualTo(new ProcFiles.CpuTicks(1024 + 957 + 51, 23595 + 42, 7));
        assertThat(proc.cpuTicks(Set.of(1))).isEqualTo(new ProcFiles.CpuTicks(557 + 485 + 17, 11716 + 38, 5));
        assertThat(proc.procsRunning()).isEqualTo(3);
        assertThat(ProcFiles.parseList("0-3,6,8-9")).containsExactly(0, 1, 2, 3, 6, 8, 9);
    }

    @Test
    void a_process_trees_ticks_are_its_own_its_reaped_childrens_and_each_live_descendants() throws IOException {
        // fields after the name: state ppid … utime(14) stime(15) cutime(16) cstime(17), 1-based in proc(5)
        write("proc/100/stat", "100 (java (worker)) S 1 100 100 0 -1 0 0 0 0 0 50 20 7 3 20 0 9 0\n");
        write("proc/100/task/100/children", "101 ");
        write("proc/100/task/105/children", "");
        write("proc/101/stat", "101 (python3) R 100 100 100 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0\n");
        ProcFiles proc = new ProcFiles(root);
        assertThat(proc.treeTicks(100)).isEqualTo(50 + 20 + 7 + 3 + 10 + 5);
        assertThat(proc.treeTicks(999)).isNull();
        // a child listed whose file is gone was reaped while the tree was read: read again, and without it if it stays so
        write("proc/100/task/105/children", "102");
        assertThat(proc.treeTicks(100)).isEqualTo(50 + 20 + 7 + 3 + 10 + 5);
    }

    @Test
    void throttling_is_read_from_cgroup_v2_and_v1_alike() throws IOException {
        write("proc/self/cgroup", "0::/lab\n");
        write("sys/fs/cgroup/lab/cpu.stat", "usage_usec 100\nnr_periods 10\nnr_throttled 4\nthrottled_usec 2500\n");
        assertThat(new ProcFiles(root).throttling()).extracting(ProcFiles.Throttling::periods, ProcFiles.Throttling::nanos)
                .containsExactly(4L, 2_500_000L);
        Path v1 = root.resolve("v1");
        Files.createDirectories(v1.resolve("proc/self"));
        Files.writeString(v1.resolve("proc/self/cgroup"), "2:cpuacct:/\n1:cpu:/\n");
        Files.createDirectories(v1.resolve("sys/fs/cgroup/cpu"));
        Files.writeString(v1.resolve("sys/fs/cgroup/cpu/cpu.stat"), "nr_periods 0\nnr_throttled 2\nthrottled_time 7000\n");
        assertThat(new ProcFiles(v1).throttling()).extracting(ProcFiles.Throttling::periods, ProcFiles.Throttling::nanos)
                .containsExactly(2L, 7000L);
    }

    @Test
    void load_pressure_and_frequency_are_read_and_absent_ones_are_null() throws IOException {
        write("proc/loadavg", "0.10 0.06 0.02 1/86 1939\n");
        write("proc/pressure/cpu", "some avg10=0.00 avg60=0.69 avg300=0.52 total=2536838\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        ProcFiles proc = new ProcFiles(root);
        assertThat(proc.load1()).isEqualTo(0.10);
        assertThat(proc.cpuPressureSomeMicros()).isEqualTo(2536838L);
        assertThat(proc.meanMhz(Set.of(0, 1))).isNull();
        write("sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "2400000\n");
        write("sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq", "3000000\n");
        assertThat(proc.meanMhz(Set.of(0, 1))).isEqualTo(2700.0);
        assertThat(new ProcFiles(root.resolve("nothing")).available()).isFalse();
        assertThat(new ProcFiles(root.resolve("nothing")).throttling()).isNull();
    }
}
