"""What every part of the worker shares: the catalog, the workload contract, the prepared workload's state, errors."""

import json
import os
import sys

with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "catalog.json"), encoding="utf-8") as _f:
    CATALOG = json.load(_f)
MODELS = CATALOG["models"]
WORKLOADS = CATALOG["workloads"]

# the package that brings a module, per installer: Debian's package (for /usr/bin/python3) and pip's name
INSTALL = {"numpy": ("python3-numpy", "numpy"), "uvloop": ("python3-uvloop", "uvloop"), "gevent": ("python3-gevent", "gevent"),
           "PIL": ("python3-pil", "Pillow")}

PYPY = sys.implementation.name == "pypy"

STATE = {}  # the prepared workload, inherited by forked pool workers


class Unsupported(Exception):
    pass


class WrongResult(Exception):
    pass


def check(condition, message):
    if not condition:
        raise WrongResult(message)


# what must import for a module to count: a package's C part, not only its Python face (PyPy sees Debian's CPython
# packages, whose `import PIL` works and whose `from PIL import Image` does not)
PROBE = {"PIL": "import PIL.Image", "gevent": "import gevent; gevent.config.loop"}  # gevent's loop: its C part, chosen


def importable(module):
    try:
        exec(PROBE.get(module, "import " + module), {})
        return True
    except Exception:
        return False


def install_hint(module):
    debian, pip = INSTALL[module]
    if PYPY:
        return "install it with `%s -m pip install %s` (Debian packages it for CPython only)" % (sys.executable, pip)
    return "install it with `apt install %s` (Debian, for /usr/bin/python3) or `%s -m pip install %s`" % (debian, sys.executable, pip)


def needs(module, what):
    """Raises Unsupported, with the install command, when the module cannot be imported."""
    if not importable(module):
        raise Unsupported("needs %s, which this interpreter cannot import: %s" % (what, install_hint(module)))


class Workload:
    """One workload of the catalog, prepared for a cell (untimed): a task per index, its validation, its ideal."""
    waiting = False  # tasks wait (sleep, socket): a thread per task or a loop runs them all at once
    cpu_bound = False
    handoff = False  # producers and consumers that must run at once (see models.Model.run)
    formula = None

    def __init__(self, params, processors):
        self.p = params
        self.processors = processors

    def reset(self):
        pass

    def close(self):
        pass

    def prepare_for(self, model):
        """What a model needs of the workload before its tasks run (once per iteration, untimed)."""

    def argument(self, i):
        """What a pool sends to the task: its index, and for the payload workload the bytes themselves."""
        return i

    def ideal(self, k, t1_unit):
        """The ideal in ns for k tasks at once; t1_unit stands for T₁ where the ideal is a multiple of it."""
        return None

    async def atask(self, i):
        """On an event loop, work that does not wait runs inline: one task at a time, as the articles' asyncio does."""
        return self.task(self.argument(i))


def run_task(argument):
    """What pool workers run: the prepared workload, inherited through fork."""
    return STATE["workload"].task(argument)
