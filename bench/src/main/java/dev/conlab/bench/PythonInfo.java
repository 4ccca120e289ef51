package dev.conlab.bench;

import java.util.Map;

/**
 * The Python interpreter a run was measured on, as its worker reports it: the document's {@code python} block, beside
 * (instead of) {@code jvm}.
 *
 * @param implementation      {@code CPython}, {@code PyPy}, …
 * @param version             e.g. {@code 3.11.2}
 * @param feature             major.minor, e.g. {@code 3.11}
 * @param executable          the interpreter's path
 * @param build               build tag and date
 * @param compiler            what built it
 * @param gil                 whether the global interpreter lock is on (false only on a free-threaded build running without it)
 * @param freeThreadedBuild   a {@code Py_GIL_DISABLED} build (python3.13t and later)
 * @param cpuCount            {@code os.cpu_count()}: what the pools' defaults use
 * @param availableProcessors the CPUs this process may run on (affinity): P in the ideals
 * @param modules             the optional modules the models use (numpy, uvloop, gevent) and whether each imports
 */
public record PythonInfo(String implementation, String version, String feature, String executable, String build, String compiler,
                         boolean gil, boolean freeThreadedBuild, Integer cpuCount, Integer availableProcessors,
                         Map<String, Boolean> modules) {

    /** "CPython 3.11.2". */
    public String label() {
        return implementation + " " + version;
    }
}
