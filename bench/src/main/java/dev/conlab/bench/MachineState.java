package dev.conlab.bench;

import java.util.Map;

/**
 * The machine beside one fork, as its supervisor measured it (never the measured worker, so that JVM and Python forks
 * get it alike): a capacity probe just before the worker started and just after it ended, and what the rest of the
 * machine did during the fork's window (from its first iteration, a warm-up's, to its last cell's end; for one cell of a
 * worker that measures several, the stretch of the fork that cell took, without a probe after it). Every
 * figure the OS cannot give is null, with the reason in {@code unavailable}.
 *
 * @param before             the capacity probe before the fork
 * @param after              the capacity probe after it
 * @param windowNanos        how long the measured window lasted
 * @param cpus               the CPUs this process may run on (its affinity), over which the shares are counted
 * @param workerCpuNanos     CPU time the worker and every process under it used in the window
 * @param supervisorCpuNanos CPU time the supervisor itself (the lab's CLI, server or agent process) used in the window
 * @param otherCpuNanos      CPU time everything else used in the window: the CPUs' busy time ({@code /proc/stat}: user, nice,
 *                           system, irq, softirq) minus the worker tree's and the supervisor's
 * @param otherShare         {@code otherCpuNanos} ÷ (window × cpus): 0.5 = other processes kept half of the CPUs busy
 * @param otherShareMaxSecond the largest such share over any one-second stretch of the window (sampled every 250 ms);
 *                           null when the window was shorter than a second
 * @param stealShare         time the hypervisor gave the CPUs to someone else ({@code steal}) ÷ (window × cpus)
 * @param throttledPeriods   CFS periods in which the cgroup was throttled during the window ({@code cpu.stat})
 * @param throttledNanos     time it was throttled
 * @param loadBefore         the one-minute load average when the window opened
 * @param loadAfter          the same when it closed
 * @param runnableMean       tasks running or runnable ({@code procs_running}), the mean of the samples; the worker's own
 *                           threads count
 * @param runnableMax        their most
 * @param cpuPressureShare   share of the window in which some task waited for a CPU ({@code /proc/pressure/cpu} "some");
 *                           the worker's own threads count
 * @param mhz                the CPUs' mean current frequency during the window, MHz
 * @param unavailable        figure name → why it is null
 */
public record MachineState(Capacity before, Capacity after, Long windowNanos, Integer cpus, Long workerCpuNanos,
                           Long supervisorCpuNanos, Long otherCpuNanos, Double otherShare, Double otherShareMaxSecond, Double stealShare,
                           Long throttledPeriods, Long throttledNanos, Double loadBefore, Double loadAfter, Double runnableMean,
                           Integer runnableMax, Double cpuPressureShare, Double mhz, Map<String, String> unavailable) {

    /**
     * One capacity probe: a fixed integer kernel of {@code steps} steps timed on one thread, then on {@code threads} threads
     * at once (each the same steps).
     *
     * @param oneThreadNanos the one-thread time: the fastest of {@code repeats} (spaced 10 ms apart, so that a moment's
     *                       interruption does not read as a lost CPU)
     * @param parallelNanos  the time for all threads at once, from the first start to the last finish; the fastest likewise
     * @param referenceNanos the fastest one-thread time the supervisor has seen since it started: the machine's speed with
     *                       nothing else on it
     * @param parallelism    the effective parallelism: threads × reference ÷ parallel, how many CPUs at full speed the threads
     *                       got (2.0 = two whole CPUs; 1.0 when other work takes one)
     * @param at             when it was taken (ISO-8601)
     */
    public record Capacity(int threads, long steps, int repeats, long oneThreadNanos, long parallelNanos, long referenceNanos,
                           double parallelism, String at) {

        /** The effective parallelism as a fraction of the threads: 1.0 = every CPU whole. */
        public double share() {
            return threads == 0 ? 0 : parallelism / threads;
        }
    }

    /** The capacity as a fraction of P, the mean of the probes before and after; null without either. */
    public Double capacityShare() {
        if (before == null && after == null) return null;
        if (before == null) return after.share();
        if (after == null) return before.share();
        return (before.share() + after.share()) / 2;
    }
}
