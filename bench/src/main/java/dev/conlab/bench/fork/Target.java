package dev.conlab.bench.fork;

import dev.conlab.bench.Vocabulary;

/** What a run is measured on: a JDK's worker JVMs or a Python interpreter's worker processes. */
public sealed interface Target permits Jdk, Python {

    /** {@code jvm} or {@code python}. */
    String runtime();

    /** "JDK 25" or "CPython 3.11.2". */
    String label();

    /** The models and workloads this runtime offers. */
    default Vocabulary vocabulary() {
        return Vocabulary.of(runtime());
    }
}
