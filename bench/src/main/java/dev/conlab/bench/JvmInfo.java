package dev.conlab.bench;

import java.util.List;

/**
 * The JVM that measured: everything needed to trust a figure later. The heap, processors and common pool are null where
 * the JVM was not asked (an imported JMH file records its JVM's version, VM and arguments, not these).
 */
public record JvmInfo(int feature, String version, String vendor, String vm, String vmVersion, String home, String gc,
                      Long maxHeapBytes, Integer availableProcessors, Integer commonPoolParallelism, List<String> inputArguments) {
}
