#!/usr/bin/env python3
"""Concurrency Lab's Python worker: the source articles' own systems, measured like the JVM's models.

    python3 worker.py SPEC.json     measure the cells of a run spec; one JSON event per line on stdout
    python3 worker.py --catalog     the Python models and workloads with their parameters, as JSON
    python3 worker.py --probe       this interpreter's facts, as JSON
    python3 worker.py --describe-tasks   the tasks of yours CONLAB_PYTHON_TASKS names (conlab_worker/usertasks.py), as JSON

CPython 3.8+ or PyPy 3.9+; standard library only, with numpy, uvloop, gevent and Pillow used where importable: a cell
that needs one that is not says so (with the command that installs it) as `unsupported`. It speaks the JVM worker's line
protocol (hello, cell-start, iteration, cell, done, error) and follows its rules: warm-ups, measured iterations, every
result validated outside the timed region, the same ideal formulas, wall and CPU time (pool children included), peak
memory, context switches. The supervisor (the lab's JVM) kills it and its children on a timeout; when its stdin closes,
the supervisor is gone and it stops at once. The parts live in the conlab_worker package beside this file.
"""

import json
import os
import sys
import threading

PROTOCOL = sys.stdout
sys.stdout = sys.stderr  # workload output never mixes with the protocol

from conlab_worker import harness, models, usertasks, workloads  # noqa: E402 — after the protocol's stdout is set aside
from conlab_worker.base import CATALOG  # noqa: E402
from conlab_worker.probe import probe, processors  # noqa: E402

models.load_impossible(CATALOG)
models.check_registry()
workloads.check_registry()


def watch_parent():
    """End of stdin means the supervisor is gone: stop at once, with every process this worker started."""
    def watch():
        # os.read, not sys.stdin: a forked pool worker closes sys.stdin on start, and would deadlock on the lock of a
        # buffered reader this thread held at the fork
        try:
            while os.read(0, 4096):
                pass
        except Exception:
            pass
        try:
            os.killpg(0, 9) if os.getpgrp() == os.getpid() else None
        finally:
            os._exit(3)
    t = threading.Thread(target=watch, name="conlab-parent-watchdog", daemon=True)
    t.start()


def main(argv):
    if len(argv) == 2 and argv[1] == "--catalog":
        print(json.dumps(CATALOG), file=PROTOCOL)
        return 0
    if len(argv) == 2 and argv[1] == "--probe":
        print(json.dumps(probe()), file=PROTOCOL)
        return 0
    if len(argv) == 2 and argv[1] == "--describe-tasks":
        code, answer = usertasks.main(argv)
        print(json.dumps(answer) if code == 0 else answer, file=PROTOCOL if code == 0 else sys.stderr)
        return code
    if len(argv) != 2:
        print("usage: worker.py SPEC.json | --catalog | --probe | --describe-tasks", file=sys.stderr)
        return 2
    try:
        with open(argv[1]) as f:
            spec = json.load(f)
        watch_parent()  # before any monkey-patching: the watchdog must stay a real thread blocked in a real read
        own_process = {m["id"] for m in CATALOG["models"] if m.get("ownProcess")}
        patched = [c for c in spec["cells"] if c["model"] in own_process]
        if patched and models.importable("gevent"):
            if len(spec["cells"]) > len(patched):
                raise RuntimeError("gevent cells need a worker of their own (monkey-patching changes the whole process)")
            from gevent import monkey
            monkey.patch_all()
        usertasks.register(workloads.REGISTRY)  # tasks of yours (conlab run --python-task): imported after gevent's patching
        p = processors()
        harness.emit({"event": "hello", "machine": None, "jvm": None, "python": probe()})
        for cell in spec["cells"]:
            harness.emit({"event": "cell-start", "index": cell["index"], "workload": cell["workload"], "model": cell["model"]})
            result, per_one_thread = harness.measure(cell, spec["settings"], p)
            harness.emit({"event": "cell", "index": cell["index"], "result": result, "idealPerOneThread": per_one_thread})
        harness.emit({"event": "done"})
        return 0
    except BaseException as e:  # noqa: B902
        harness.emit({"event": "error", "message": harness.describe(e)})
        return 1


if __name__ == "__main__":
    code = main(sys.argv)
    PROTOCOL.flush()
    os._exit(code)
