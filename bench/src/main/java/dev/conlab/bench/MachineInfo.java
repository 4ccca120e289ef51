package dev.conlab.bench;

/**
 * The machine a run measured on. Facts that cannot be read are null, never invented.
 *
 * @param fingerprint stable hash of the machine's identity (machine-id or hostname, CPU model, logical CPUs, memory)
 * @param label       a human name; the hostname until someone renames the machine
 */
public record MachineInfo(String fingerprint, String label, String hostname, Os os, Cpu cpu, Long memoryBytes,
                          Container container) {

    public record Os(String name, String version, String arch, String kernel) {
    }

    /**
     * @param physicalCores distinct (package, core) pairs in /proc/cpuinfo, null where not listed
     */
    public record Cpu(String model, String vendor, Integer logicalCpus, Integer physicalCores, Double mhz) {
    }

    /**
     * @param cgroup          1 or 2, null outside a cgroup
     * @param cpuLimit        CPU quota ÷ period, null when unlimited
     * @param memoryLimitBytes memory limit, null when unlimited
     */
    public record Container(Integer cgroup, Double cpuLimit, Long memoryLimitBytes) {
    }
}
