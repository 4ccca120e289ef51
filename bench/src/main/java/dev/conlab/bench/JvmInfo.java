package dev.conlab.bench;

import java.util.List;

/** The JVM that measured: everything needed to trust a figure later. */
public record JvmInfo(int feature, String version, String vendor, String vm, String vmVersion, String home, String gc,
                      long maxHeapBytes, int availableProcessors, int commonPoolParallelism, List<String> inputArguments) {
}
