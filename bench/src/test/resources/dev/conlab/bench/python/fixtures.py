"""Test fixtures for the Python worker: tasks of yours (conlab run --python-task fixtures:NAME) that go wrong in each way a
real workload can — raise, hang with a child process, answer wrongly, kill the interpreter — so that the lab's supervision
of Python workers is tested through the real worker and the real task feature, with no hook in the lab's own code."""

import os
import subprocess
import sys
import time


def fixture_raise(i):
    raise ValueError("fixture-raise: task %d raised on purpose" % i)


fixture_raise_id = "fixture-raise"
fixture_raise_params = {"tasks": 2}


def fixture_hang(i):
    # a child process that would outlive a careless supervisor, then a hang
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    time.sleep(600)
    return i


fixture_hang_id = "fixture-hang"
fixture_hang_params = {"tasks": 2}


def fixture_pool_hang(i):
    """Hangs only in a pool's worker process, with a child of its own: three generations to kill; its T₁ (in the worker) is quick."""
    import multiprocessing
    if multiprocessing.parent_process() is None:
        return i
    return fixture_hang(i)


fixture_pool_hang_id = "fixture-pool-hang"
fixture_pool_hang_params = {"tasks": 2}


def fixture_wrong(i):
    return i + 1  # off by one


def fixture_wrong_check(results):
    if list(results) != [0, 1, 2]:
        raise ValueError("expected 0, 1, 2, got %s" % (list(results),))


fixture_wrong_id = "fixture-wrong"
fixture_wrong_params = {"tasks": 3}


def fixture_crash(i):
    sys.stdout.flush()
    os._exit(7)  # the interpreter dies mid-cell, as on a segfault in an extension


fixture_crash_id = "fixture-crash"
fixture_crash_params = {"tasks": 1}

