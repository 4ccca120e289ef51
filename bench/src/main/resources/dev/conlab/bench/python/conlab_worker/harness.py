"""The harness: a cell's warm-ups and measured iterations under one model, each result validated outside the timed region,
and the line protocol the lab's supervisor reads (hello, cell-start, iteration, cell, done, error)."""

import gc
import os
import sys
import time
import traceback

from . import meters, models, workloads
from .base import CATALOG, PYPY, STATE, Unsupported, WrongResult

PROTOCOL = sys.__stdout__  # worker.py sends workload output to stderr; the protocol keeps the real stdout
ERROR_CAP = CATALOG.get("errorCap", 4000)  # the longest error text a cell keeps, as the lab's CellResult
ONE_THREAD_UNIT = 1_000_000_000_000


def emit(event):
    import json
    PROTOCOL.write(json.dumps(event, separators=(",", ":")) + "\n")
    PROTOCOL.flush()


def describe(e):
    frames = traceback.extract_tb(e.__traceback__)
    where = (" (at %s:%d in %s)" % (os.path.basename(frames[-1].filename), frames[-1].lineno, frames[-1].name)) if frames else ""
    text = "%s: %s%s" % (type(e).__name__, e, where)
    cause = e.__cause__ or e.__context__
    depth = 0
    while cause is not None and depth < 5:
        text += " <- caused by %s: %s" % (type(cause).__name__, cause)
        cause = cause.__cause__ or cause.__context__
        depth += 1
    return text[:ERROR_CAP]


def not_run(cell, status, error):
    return {"workload": cell["workload"], "model": cell["model"], "params": cell["params"], "modelParams": cell["modelParams"],
            "status": status, "concurrency": None, "idealNanos": None, "idealFormula": None, "oneThreadNanos": None,
            "warmupWallNanos": [], "samples": [], "metricSources": {}, "error": error, "workerPids": None}


# A JIT runtime's first iterations include its compiling: PyPy ran the articles' kernel in 0.31 s twice, then in 0.21–0.22 s
# (docs/FINDINGS.md, "PyPy's warm-up"); so on PyPy every cell gets at least this many warm-ups, as pyperf gives JIT
# runtimes more. They are in the document's warmupWallNanos like any other.
JIT_WARMUPS = 3


def warmup_count(settings):
    return max(settings["warmups"], JIT_WARMUPS) if PYPY else settings["warmups"]


def once(model, workload, processors):
    workload.reset()
    workload.prepare_for(model)
    gc.collect()
    meters.reset_peak()
    rss_before = meters.status_bytes("VmRSS:")
    gc_before = meters.gc_collections()
    cpu0, vol0, inv0 = meters.rusage()
    start = time.perf_counter_ns()
    results = model.run(workload, processors)
    wall = time.perf_counter_ns() - start
    cpu1, vol1, inv1 = meters.rusage()
    threads_after = meters.threads_now()
    peak = meters.status_bytes("VmHWM:")
    gc_after = meters.gc_collections()
    workload.validate(results)
    return {"wallNanos": wall, "cpuNanos": cpu1 - cpu0, "allocBytes": None,
            "gcCount": None if gc_before is None else gc_after - gc_before, "gcNanos": None,
            "peakThreads": threads_after, "ctxSwitchesVoluntary": vol1 - vol0, "ctxSwitchesInvoluntary": inv1 - inv0, "fork": None,
            "rssBeforeBytes": rss_before, "peakRssBytes": peak, "heapAfterBytes": None, "latencyP50Nanos": None,
            "latencyP99Nanos": None, "latencyMaxNanos": None, "pinnedCount": None, "pinnedNanos": None}


def measure(cell, settings, processors):
    """One cell: (its result, its ideal as a multiple of T₁ where the ideal is one)."""
    model_id, workload_id = cell["model"], cell["workload"]
    if workload_id not in workloads.REGISTRY:
        return not_run(cell, "failed", "unknown workload '%s' for the Python runtime" % workload_id), None
    if model_id not in models.REGISTRY:
        return not_run(cell, "failed", "unknown model '%s' for the Python runtime" % model_id), None
    params, model_params = cell["params"], cell["modelParams"] or {}
    model = models.REGISTRY[model_id](model_params)
    reason = model.unsupported(workload_id)
    if reason:
        return not_run(cell, "unsupported", reason), None
    try:
        workload = workloads.REGISTRY[workload_id](params, processors)
    except Unsupported as e:
        return not_run(cell, "unsupported", str(e)), None
    except Exception as e:
        return not_run(cell, "failed", describe(e)), None
    STATE["workload"] = workload
    try:
        k = model.concurrency(workload, processors)
        warmups = []
        count = warmup_count(settings)
        for i in range(count):
            emit({"event": "iteration", "index": cell["index"], "phase": "warmup", "iteration": i + 1, "of": count})
            warmups.append(once(model, workload, processors)["wallNanos"])
        samples = []
        for i in range(settings["iterations"]):
            emit({"event": "iteration", "index": cell["index"], "phase": "measure", "iteration": i + 1, "of": settings["iterations"]})
            samples.append(once(model, workload, processors))
        per_one_thread = None
        ideal = None
        if workload.cpu_bound or getattr(workload, "t1_ideal", False):
            value = workload.ideal(k, ONE_THREAD_UNIT)  # a multiple of T₁, which the lab measured once for the run
            per_one_thread = None if value is None else value / ONE_THREAD_UNIT
        else:
            value = workload.ideal(k, None)
            ideal = None if value is None else int(value)
        result = {"workload": workload_id, "model": model_id, "params": params, "modelParams": model_params, "status": "ok",
                  "concurrency": k, "idealNanos": ideal, "idealFormula": workload.formula, "oneThreadNanos": None,
                  "warmupWallNanos": warmups, "samples": samples, "metricSources": meters.sources(),
                  "error": None, "workerPids": None}
        return result, per_one_thread
    except Unsupported as e:
        return not_run(cell, "unsupported", str(e)), None
    except WrongResult as e:
        return not_run(cell, "failed", "wrong result: %s" % e), None
    except BaseException as e:  # noqa: B902 — a failing cell never ends the run
        if isinstance(e, KeyboardInterrupt):
            raise
        return not_run(cell, "failed", describe(e)), None
    finally:
        STATE.pop("workload", None)
        try:
            workload.close()
        except Exception:
            pass
