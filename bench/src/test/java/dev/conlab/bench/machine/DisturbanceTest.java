package dev.conlab.bench.machine;

import dev.conlab.bench.MachineState;
import dev.conlab.bench.MachineState.Capacity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DisturbanceTest {

    private static Capacity capacity(double parallelism) {
        return new Capacity(2, CapacityProbe.STEPS, 3, 3_500_000, (long) (7_000_000 / parallelism), 3_500_000, parallelism, "2026-12-06T00:00:00Z");
    }

    /** A fork of {@code seconds} on 2 CPUs with these shares of them used by others and by the supervisor. */
    private static MachineState fork(double seconds, double other, Double otherSecond, double lab, double steal, long throttled,
                                     double before, double after) {
        long window = (long) (seconds * 1e9);
        return new MachineState(capacity(before), capacity(after), window, 2, window, (long) (lab * window * 2), (long) (other * window * 2),
                other, otherSecond, steal, throttled, throttled * 100_000_000L, 0.1, 0.1, 1.0, 2, 0.01, null, Map.of());
    }

    @Test
    void a_quiet_fork_is_clean() {
        assertThat(Disturbance.judge(fork(3, 0.02, 0.03, 0.01, 0, 0, 1.9, 1.85), 1)).isNull();
    }

    @Test
    void other_processes_over_a_tenth_of_the_cpus_disturb_a_fork_and_the_sentence_gives_the_figures() {
        assertThat(Disturbance.judge(fork(3, 0.48, 0.9, 0.01, 0, 0, 1.9, 1.9), 2))
                .isEqualTo("other processes used 48 % of the 2 CPUs during fork 2");
    }

    @Test
    void a_share_the_clock_ticks_cannot_tell_from_noise_does_not_disturb_a_short_fork() {
        // 5 ms on 2 CPUs is one tick: 40 % "other" there is a tick or two, not a measurement
        assertThat(Disturbance.judge(fork(0.005, 0.4, null, 0, 0, 0, 1.9, 1.9), 1)).isNull();
        // over 3 s the same share is beyond doubt
        assertThat(Disturbance.judge(fork(3, 0.4, null, 0, 0, 0, 1.9, 1.9), 1)).contains("40 %");
        // 12 % over half a second is within the ticks' slack (6 ticks of 100): not flagged
        assertThat(Disturbance.judge(fork(0.5, 0.12, null, 0, 0, 0, 1.9, 1.9), 1)).isNull();
    }

    @Test
    void a_busy_second_disturbs_a_long_fork_whose_whole_share_stays_low() {
        assertThat(Disturbance.judge(fork(30, 0.05, 0.95, 0, 0, 0, 1.9, 1.9), 3))
                .isEqualTo("other processes used 95 % of the 2 CPUs in one second of it during fork 3");
    }

    @Test
    void steal_throttling_and_a_capacity_step_each_disturb_and_are_all_named_but_the_labs_own_cpu_does_not() {
        String why = Disturbance.judge(fork(3, 0.0, 0.0, 0.3, 0.2, 4, 1.9, 1.0), 1);
        assertThat(why).doesNotContain("lab's own")
                .contains("the hypervisor took 20 % of the 2 CPUs (steal)")
                .contains("the cgroup throttled it in 4 period(s), 400 ms in all")
                .contains("the machine's capacity moved from 1.90 to 1.00 of its 2 CPUs across it")
                .endsWith("during fork 1");
        assertThat(Disturbance.judge(fork(3, 0.0, 0.0, 0.6, 0.0, 0, 1.9, 1.9), 1)).isNull();
    }

    @Test
    void a_capacity_within_a_quarter_of_the_cpus_is_the_same_machine() {
        assertThat(Disturbance.judge(fork(3, 0, 0.0, 0, 0, 0, 1.9, 1.5), 1)).isNull();
    }

    @Test
    void a_fork_whose_machine_was_not_measured_is_not_judged() {
        assertThat(Disturbance.judge(null, 1)).isNull();
        assertThat(Disturbance.judge(MachineMonitor.unmeasured(null, null, "no /proc"), 1)).isNull();
    }
}
