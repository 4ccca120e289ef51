package dev.conlab.bench.harness;

import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeTest {

    @Test
    void the_machine_facts_are_filled_on_this_linux_machine() {
        MachineInfo m = Probe.machine();
        assertThat(m.fingerprint()).matches("[0-9a-f]{16}");
        assertThat(m.hostname()).isNotBlank();
        assertThat(m.os().name()).isEqualTo("Linux");
        assertThat(m.os().kernel()).isNotBlank();
        assertThat(m.os().arch()).isNotBlank();
        assertThat(m.cpu().model()).isNotBlank();
        assertThat(m.cpu().vendor()).isNotBlank();
        assertThat(m.cpu().logicalCpus()).isGreaterThanOrEqualTo(1);
        assertThat(m.cpu().physicalCores()).isBetween(1, m.cpu().logicalCpus());
        assertThat(m.memoryBytes()).isGreaterThan(1L << 28);
        assertThat(m.container().cgroup()).isIn(1, 2, null);
    }

    @Test
    void a_name_makes_a_machine_of_its_own_and_the_same_name_the_same_machine() {
        MachineInfo facts = Probe.machine();
        MachineInfo a = Probe.named(facts, "box-a");
        assertThat(a.fingerprint()).matches("[0-9a-f]{16}")
                .isEqualTo(Probe.named(facts, "box-a").fingerprint())
                .isNotEqualTo(Probe.named(facts, "box-b").fingerprint())
                .isNotEqualTo(facts.fingerprint());
        assertThat(a.label()).isEqualTo("box-a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Probe.checkMachineName("two words"))
                .hasMessageContaining("bad machine name 'two words'");
    }

    @Test
    void the_jvm_facts_describe_the_running_jvm() {
        JvmInfo jvm = Probe.jvm();
        assertThat(jvm.feature()).isEqualTo(Runtime.version().feature());
        assertThat(jvm.version()).isEqualTo(System.getProperty("java.version"));
        assertThat(jvm.vendor()).isNotBlank();
        assertThat(jvm.vm()).isNotBlank();
        assertThat(jvm.gc()).isNotBlank();
        assertThat(jvm.maxHeapBytes()).isPositive();
        assertThat(jvm.availableProcessors()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(jvm.inputArguments()).isNotNull();
    }
}
