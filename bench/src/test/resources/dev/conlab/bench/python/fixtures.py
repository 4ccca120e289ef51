# Test fixtures for the Python worker (loaded when CONLAB_PYTHON_FIXTURES names this file): workloads that go wrong in
# each way a real one can, so that the lab's supervision of Python workers is tested through the real worker.
# Imported by worker.py as a module of its own; it registers its workloads in the worker's registry.

import os
import sys
import time

from conlab_worker.base import Workload, check
from conlab_worker.workloads import REGISTRY


class FixtureRaise(Workload):
    def task_count(self):
        return 2

    def task(self, i):
        raise ValueError("fixture-raise: task %d raised on purpose" % i)

    def validate(self, results):
        pass

    formula = None


class FixtureHang(Workload):
    waiting = True

    def task_count(self):
        return 2

    def task(self, i):
        # a child process that would outlive a careless supervisor, then a hang
        import subprocess
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        time.sleep(600)
        return i

    def validate(self, results):
        pass

    formula = None


class FixtureWrong(Workload):
    def task_count(self):
        return 3

    def task(self, i):
        return i + 1  # off by one

    def validate(self, results):
        check(list(results) == [0, 1, 2], "expected 0, 1, 2, got %s" % (list(results),))

    formula = None


class FixtureCrash(Workload):
    def task_count(self):
        return 1

    def task(self, i):
        sys.stdout.flush()
        os._exit(7)  # the interpreter dies mid-cell, as on a segfault in an extension

    def validate(self, results):
        pass

    formula = None


REGISTRY.update({"fixture-raise": FixtureRaise, "fixture-hang": FixtureHang, "fixture-wrong": FixtureWrong,
                         "fixture-crash": FixtureCrash})
