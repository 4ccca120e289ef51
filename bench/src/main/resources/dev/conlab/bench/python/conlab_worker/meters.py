"""Meters: wall and CPU time (self and waited-for children: pools are joined inside the timed region), peak RSS (reset
between iterations through clear_refs where the kernel allows it), context switches, collections of the collector."""

import gc
import os
import resource
import threading

from .base import PYPY


def rusage():
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
    return int(cpu * 1e9), s.ru_nvcsw + c.ru_nvcsw, s.ru_nivcsw + c.ru_nivcsw


def gc_collections():
    """CPython: collections of its cyclic collector, all generations. PyPy's gc.get_stats() is a report of its own
    (no per-generation counts): None, said so in the sources."""
    if PYPY:
        return None
    return sum(s["collections"] for s in gc.get_stats())


def status_bytes(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


PEAK_RESETTABLE = reset_peak()


def threads_now():
    return threading.active_count()


def sources():
    readable = os.path.exists("/proc/self/status")
    return {
        "wallNanos": "time.perf_counter_ns around the model's execution",
        "cpuNanos": "getrusage(RUSAGE_SELF) + getrusage(RUSAGE_CHILDREN) user + system: pool workers count once they are "
                    "joined, which the models do inside the timed region",
        "cpuResolutionNanos": "1000",
        "allocBytes": None,
        "gc": ("not measured: PyPy's incremental collector reports no collection counts through gc.get_stats()" if PYPY else
               "gc.get_stats(): collections of CPython's cyclic collector (reference counting frees the rest); no time"),
        "peakThreads": "threading.active_count() after the model returned (Python threads; greenlets and pool processes not included)",
        "ctxSwitches": "getrusage-self-and-children",
        "peakRss": (("VmHWM of /proc/self/status, reset before each iteration through /proc/self/clear_refs (this process; "
                     "pool workers not included)") if PEAK_RESETTABLE else
                    "VmHWM of /proc/self/status since the worker started: an upper bound of the iteration's peak")
        if readable else "not measured: /proc/self/status is not readable here",
        "heapAfter": "not measured: Python has no heap figure like the JVM's",
        "latency": "not measured: the Python worker does not record per-task latency yet",
        "pinned": "not measured: virtual threads are the JVM's",
    }
