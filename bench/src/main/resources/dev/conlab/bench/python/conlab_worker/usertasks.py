"""Tasks of yours: `conlab run --python-task MODULE:FUNCTION --python-path DIR` measures FUNCTION(index) under every Python
model as a workload of its own. What the lab looks for beside FUNCTION in MODULE (the naming rule, docs/TASKS.md):

    FUNCTION(index)            one unit of the work, timed; threads, pools, processes and gevent (after patching) call it
    FUNCTION_async(index)      optional `async def`: asyncio and uvloop await it (without it they call FUNCTION inline)
    FUNCTION_setup(params)     optional, untimed, once per cell before its first iteration: the run's parameter values
    FUNCTION_check(results)    optional, untimed, after every iteration: the results in index order; raise to fail the cell
    FUNCTION_close()           optional, untimed, when the cell is done
    FUNCTION_params            optional dict of whole-number parameters and their defaults; `tasks` (units per iteration,
                               100 when not given) among them
    FUNCTION_kind              optional "waiting", "cpu" or "mixed"; without it the lab learns the kind from T₁'s CPU time
    FUNCTION_id                optional workload id; by default FUNCTION with "_" as "-"
    FUNCTION.__doc__           its first line is the task's summary

The environment variable CONLAB_PYTHON_TASKS holds the tasks as JSON: [{"entry": "module:function", "path": [dirs]}].
"""

import importlib
import inspect
import json
import math
import os
import re
import sys

from .base import WORKLOADS, Workload, WrongResult

KINDS = ("waiting", "cpu", "mixed")
ID = re.compile(r"^[a-z][a-z0-9-]{0,63}$")


class TaskError(Exception):
    """A task that cannot be used, said in one sentence."""


def _find(entry, path):
    for d in reversed(path or []):
        if d not in sys.path:
            sys.path.insert(0, d)
    if entry.count(":") != 1:
        raise TaskError("'%s' is not MODULE:FUNCTION (for instance shop.lookup:fetch_order)" % entry)
    module_name, function_name = entry.split(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as e:  # noqa: B902 — the user's module may raise anything on import
        raise TaskError("cannot import %s (%s: %s); is its directory given with --python-path?" % (module_name, type(e).__name__, e))
    function = getattr(module, function_name, None)
    if function is None or not callable(function):
        raise TaskError("%s has no function %s" % (module_name, function_name))
    if inspect.iscoroutinefunction(function):
        raise TaskError("%s:%s is async: name the plain function, and the async one %s_async beside it"
                        % (module_name, function_name, function_name))
    return module, function_name, function


def describe(entry, path):
    """What the lab needs to know of a task, without running it: id, summary, parameters, stated kind, file."""
    module, name, function = _find(entry, path)
    own = lambda suffix, default=None: getattr(module, name + suffix, default)  # noqa: E731
    params = dict(own("_params", {}) or {})
    for k, v in params.items():
        if not isinstance(k, str) or not re.match(r"^[a-zA-Z][a-zA-Z0-9]{0,63}$", k) or not isinstance(v, int) or isinstance(v, bool):
            raise TaskError("%s_params must map names (letters and digits) to whole numbers; %r: %r is not" % (name, k, v))
    params.setdefault("tasks", 100)
    if params["tasks"] < 1:
        raise TaskError("%s_params['tasks'] must be at least 1" % name)
    kind = own("_kind")
    if kind is not None and kind not in KINDS:
        raise TaskError("%s_kind must be one of %s, not %r" % (name, ", ".join(KINDS), kind))
    task_id = own("_id") or name.replace("_", "-").lower()
    if not ID.match(task_id):
        raise TaskError("the task id %r must be kebab-case (a-z, 0-9, -; 64 at most): set %s_id" % (task_id, name))
    async_variant = own("_async")
    if async_variant is not None and not inspect.iscoroutinefunction(async_variant):
        raise TaskError("%s_async must be an async def" % name)
    doc = (function.__doc__ or "").strip().splitlines()
    summary = doc[0].strip() if doc else "A task of yours (%s)." % entry
    return {"id": task_id, "entry": entry, "summary": summary[:500], "params": params, "kind": kind,
            "file": os.path.abspath(inspect.getsourcefile(module) or module.__file__), "async": async_variant is not None}


def _workload_class(entry, path):
    about = describe(entry, path)
    module, name, function = _find(entry, path)
    own = lambda suffix: getattr(module, name + suffix, None)  # noqa: E731
    setup, check, close, run_async = own("_setup"), own("_check"), own("_close"), own("_async")
    kind = about["kind"]

    class UserTask(Workload):
        waiting = kind == "waiting"
        cpu_bound = False
        t1_ideal = kind in ("waiting", "cpu")  # a stated kind: the ideal from T₁; else the lab learns it (no ideal here)
        formula = {"waiting": "ceil(tasks / k) × T₁ / tasks (it waits: the units overlap)",
                   "cpu": "T₁ / min(tasks, k, P) (it computes)"}.get(kind)

        def __init__(self, params, processors):
            super().__init__(params, processors)
            if setup is not None:
                setup(dict(params))

        def task_count(self):
            return self.p["tasks"]

        def task(self, i):
            return function(i)

        async def atask(self, i):
            if run_async is not None:
                return await run_async(i)
            return function(i)

        def validate(self, results):
            if check is None:
                return
            try:
                check(list(results))
            except WrongResult:
                raise
            except Exception as e:  # noqa: B902 — whatever the user's check raises is its verdict
                raise WrongResult(str(e) or type(e).__name__)

        def close(self):
            if close is not None:
                close()

        def ideal(self, k, t1_unit):
            if t1_unit is None or kind is None:
                return None
            n = self.p["tasks"]
            if kind == "waiting":
                return math.ceil(n / max(1, min(n, k))) * t1_unit / n
            return t1_unit / max(1, min(n, k, self.processors))

    UserTask.__name__ = "UserTask_" + about["id"].replace("-", "_")
    return about, UserTask


def register(registry):
    """Adds the tasks CONLAB_PYTHON_TASKS names to the worker's registry and catalog."""
    spec = os.environ.get("CONLAB_PYTHON_TASKS")
    if not spec:
        return
    for task in json.loads(spec):
        about, cls = _workload_class(task["entry"], task.get("path"))
        registry[about["id"]] = cls
        WORKLOADS.append({"id": about["id"], "summary": about["summary"], "cpuBound": about["kind"] == "cpu", "task": True})


def main(argv):
    """`worker.py --describe-tasks`: the tasks of CONLAB_PYTHON_TASKS described as JSON, or one sentence on stderr (exit 2)."""
    try:
        spec = json.loads(os.environ.get("CONLAB_PYTHON_TASKS") or "[]")
        return 0, [describe(t["entry"], t.get("path")) for t in spec]
    except TaskError as e:
        return 2, str(e)
