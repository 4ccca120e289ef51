"""The interpreter's facts: the document's `python` block."""

import os
import platform
import sys
import sysconfig

from .base import INSTALL, importable


def gil_enabled():
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def processors():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def probe():
    return {
        "implementation": platform.python_implementation(),
        "version": platform.python_version(),
        "feature": "%d.%d" % sys.version_info[:2],
        "executable": sys.executable,
        "build": " ".join(platform.python_build()),
        "compiler": platform.python_compiler(),
        "gil": gil_enabled(),
        "freeThreadedBuild": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "cpuCount": os.cpu_count(),
        "availableProcessors": processors(),
        "modules": {m: importable(m) for m in INSTALL},
    }
