#!/usr/bin/env python3
"""Concurrency Lab's Python worker: the source articles' own systems, measured like the JVM's models.

    python3 worker.py SPEC.json     measure the cells of a run spec; one JSON event per line on stdout
    python3 worker.py --catalog     the Python models and workloads with their parameters, as JSON
    python3 worker.py --probe       this interpreter's facts, as JSON

Standard library only; numpy, uvloop and gevent are used where importable, and a cell that needs one that is not
says so (with the command that installs it) as `unsupported`. It speaks the JVM worker's line protocol (hello,
cell-start, iteration, cell, done, error) and follows its rules: warm-ups, measured iterations, every result
validated outside the timed region, the same ideal formulas, wall and CPU time (pool children included), peak
memory, context switches. The supervisor (the lab's JVM) kills it and its children on a timeout; when its stdin
closes, the supervisor is gone and it stops at once.
"""

import json
import math
import os
import platform
import random
import resource
import sys
import sysconfig
import threading
import time

PROTOCOL = sys.stdout
sys.stdout = sys.stderr  # workload output never mixes with the protocol

# --------------------------------------------------------------------------------------------------------------------
# The catalog — models, workloads, their parameters and sizes per suite — lives in catalog.json beside this file, which
# the lab reads too (one source for both). The seed sizes are the source articles' own (ten 1-second sleeps;
# 8 × 1,000,000 randint); CPython runs CPU loops ~50× slower than the JVM, so its default sizes are smaller.
# --------------------------------------------------------------------------------------------------------------------

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "catalog.json"), encoding="utf-8") as _f:
    CATALOG = json.load(_f)
MODELS = CATALOG["models"]
WORKLOADS = CATALOG["workloads"]

INSTALL = {"numpy": "python3-numpy", "uvloop": "python3-uvloop", "gevent": "python3-gevent"}


def importable(module):
    try:
        __import__(module)
        return True
    except Exception:
        return False


def install_hint(module):
    return ("install it with `apt install %s` (Debian, for /usr/bin/python3) or `%s -m pip install %s`"
            % (INSTALL[module], sys.executable, module))


def gil_enabled():
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def probe():
    """The interpreter's facts: the document's `python` block."""
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
        "availableProcessors": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "modules": {m: importable(m) for m in ("numpy", "uvloop", "gevent")},
    }


# --------------------------------------------------------------------------------------------------------------------
# Workloads: prepare (untimed) → a task function per index (module level, so process pools can run it), an async form
# where the task waits, validation (untimed), the ideal.
# --------------------------------------------------------------------------------------------------------------------

STATE = {}  # the prepared workload, inherited by forked pool workers


class Unsupported(Exception):
    pass


class WrongResult(Exception):
    pass


def check(condition, message):
    if not condition:
        raise WrongResult(message)


class Workload:
    waiting = False  # tasks wait (sleep, socket): a thread per task or a loop runs them all at once
    cpu_bound = False

    def __init__(self, params, processors):
        self.p = params
        self.processors = processors

    def reset(self):
        pass

    def close(self):
        pass

    def ideal(self, k, t1_unit):
        """The ideal in ns for k tasks at once; t1_unit stands for T₁ where the ideal is a multiple of it."""
        return None

    async def atask(self, i):
        """On an event loop, work that does not wait runs inline: one task at a time, as the articles' asyncio does."""
        return self.task(i)


class SleepIo(Workload):
    waiting = True

    def task_count(self):
        return self.p["tasks"]

    def task(self, i):
        time.sleep(self.p["latencyMs"] / 1000)
        return i

    async def atask(self, i):
        import asyncio
        await asyncio.sleep(self.p["latencyMs"] / 1000)
        return i

    def validate(self, results):
        check(list(results) == list(range(self.p["tasks"])), "expected the task indexes 0 … %d back" % (self.p["tasks"] - 1))

    def ideal(self, k, t1_unit):
        return math.ceil(self.p["tasks"] / k) * self.p["latencyMs"] * 1_000_000

    formula = "ceil(tasks / k) × latencyMs"


HTTP_SERVER = r'''
import asyncio, sys
delay = float(sys.argv[1]) / 1000
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b" ", 2)[1]
            body = target.split(b"=", 1)[1] if b"=" in target else b""
            await asyncio.sleep(delay)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()
asyncio.run(main())
'''


class HttpIo(Workload):
    """A loopback server in a process of its own (asyncio: it holds no thread per waiting request), started for the cell."""
    waiting = True
    formula = "ceil(tasks / k) × latencyMs (round trips not included)"

    def __init__(self, params, processors):
        super().__init__(params, processors)
        import subprocess
        self.server = subprocess.Popen([sys.executable, "-c", HTTP_SERVER, str(params["latencyMs"])], stdout=subprocess.PIPE,
                                       stdin=subprocess.DEVNULL)
        self.port = int(self.server.stdout.readline())

    def close(self):
        self.server.kill()
        self.server.wait()

    def task_count(self):
        return self.p["tasks"]

    def task(self, i):
        import http.client
        connection = http.client.HTTPConnection("127.0.0.1", STATE["workload"].port, timeout=600)
        try:
            connection.request("GET", "/?i=%d" % i)
            response = connection.getresponse()
            body = response.read().decode()
            if response.status != 200:
                raise IOError("HTTP %d for task %d" % (response.status, i))
            return int(body)
        finally:
            connection.close()

    async def atask(self, i):
        import asyncio
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(b"GET /?i=%d HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % i)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = int([line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")][0])
            return int(await reader.readexactly(length))
        finally:
            writer.close()

    def validate(self, results):
        check(list(results) == list(range(self.p["tasks"])), "expected each request's index back")

    def ideal(self, k, t1_unit):
        return math.ceil(self.p["tasks"] / k) * self.p["latencyMs"] * 1_000_000


class CpuSum(Workload):
    cpu_bound = True
    formula = "T₁ ÷ min(workers, P)"
    expected = {}

    def task_count(self):
        return self.p["workers"]

    def task(self, i):
        # the articles' kernel, with a seeded generator per task so that every answer can be checked
        r = random.Random(20261202 + i)
        return sum(r.randint(1, 100) for _ in range(self.p["count"]))

    def validate(self, results):
        check(len(results) == self.p["workers"], "expected %d sums" % self.p["workers"])
        for i, value in enumerate(results):
            key = (self.p["count"], i)
            if key not in CpuSum.expected:
                CpuSum.expected[key] = self.task(i)
            check(value == CpuSum.expected[key], "task %d summed %s, expected %s" % (i, value, CpuSum.expected[key]))

    def ideal(self, k, t1_unit):
        return t1_unit / min(self.p["workers"], self.processors)


class Vectors(Workload):
    """float64 vectors in shared memory, so that forked pool workers write where the parent reads."""
    cpu_bound = True
    formula = "T₁ ÷ min(chunks, P)"

    def __init__(self, params, processors):
        super().__init__(params, processors)
        try:
            import numpy
        except ImportError:
            raise Unsupported("needs numpy, which this interpreter cannot import: " + install_hint("numpy"))
        from multiprocessing import shared_memory
        n = params["length"]
        self.blocks = [shared_memory.SharedMemory(create=True, size=max(8, n * 8)) for _ in range(3)]
        self.a, self.b, self.c = (numpy.ndarray((n,), dtype=numpy.float64, buffer=m.buf) for m in self.blocks)
        self.a[:] = numpy.arange(n, dtype=numpy.float64) % 1000
        self.b[:] = (numpy.arange(n, dtype=numpy.float64) * 7) % 1000
        self.c[:] = 0

    def close(self):
        del self.a, self.b, self.c
        for m in self.blocks:
            m.close()
            m.unlink()

    def task_count(self):
        return self.p["chunks"]

    def bounds(self, i):
        n, chunks = self.p["length"], self.p["chunks"]
        return n * i // chunks, n * (i + 1) // chunks

    def ideal(self, k, t1_unit):
        return t1_unit / min(self.p["chunks"], self.processors)


class VectorAdd(Vectors):
    def reset(self):
        self.c[:] = 0

    def task(self, i):
        import numpy
        s, e = self.bounds(i)
        for _ in range(self.p["passes"]):
            numpy.add(self.a[s:e], self.b[s:e], out=self.c[s:e])
        return e - s

    def validate(self, results):
        import numpy
        check(sum(results) == self.p["length"], "the chunks did not cover the vectors")
        check(numpy.array_equal(self.c, self.a + self.b), "c is not a + b")


class DotProduct(Vectors):
    def task(self, i):
        import numpy
        s, e = self.bounds(i)
        total = 0.0
        for _ in range(self.p["passes"]):
            total = float(numpy.dot(self.a[s:e], self.b[s:e]))
        return total

    def validate(self, results):
        import numpy
        expected = float(numpy.dot(self.a, self.b))
        check(abs(sum(results) - expected) <= 1e-9 * max(1.0, abs(expected)), "Σ partial dot products %r ≠ %r" % (sum(results), expected))


class FactorialGather(Workload):
    waiting = True
    formula = "the longest task's waits (tasks × waitMs); compute not included, so a lower bound"
    expected = {}

    def task_count(self):
        return self.p["tasks"]

    def n(self, i):
        return (i + 2) * self.p["scale"]

    def step(self, f, n, step, steps):
        lo = 2 + (n - 1) * step // steps
        hi = 2 + (n - 1) * (step + 1) // steps
        for k in range(lo, hi):
            f *= k
        return f

    def task(self, i):
        f = 1
        for s in range(i + 1):
            time.sleep(self.p["waitMs"] / 1000)
            f = self.step(f, self.n(i), s, i + 1)
        return f

    async def atask(self, i):
        import asyncio
        f = 1
        for s in range(i + 1):
            await asyncio.sleep(self.p["waitMs"] / 1000)
            f = self.step(f, self.n(i), s, i + 1)
        return f

    def validate(self, results):
        check(len(results) == self.p["tasks"], "expected %d factorials" % self.p["tasks"])
        for i, value in enumerate(results):
            n = self.n(i)
            if n not in FactorialGather.expected:
                FactorialGather.expected[n] = math.factorial(n)
            check(value == FactorialGather.expected[n], "task %d did not compute %d!" % (i, n))

    def ideal(self, k, t1_unit):
        return self.p["tasks"] * self.p["waitMs"] * 1_000_000


END = -1


class ProducerConsumer(Workload):
    """One bounded queue per iteration: queue.Queue for threads, asyncio.Queue on a loop, multiprocessing.Queue across processes."""
    formula = "none: the figure is the cost per item (median ÷ items)"

    def __init__(self, params, processors):
        super().__init__(params, processors)
        self.queue = None

    def task_count(self):
        return self.p["producers"] + self.p["consumers"]

    def make_queue(self, kind):
        self.kind = kind
        if kind == "process":
            import multiprocessing
            self.queue = multiprocessing.get_context("fork").Queue(self.p["capacity"])
        elif kind == "async":
            import asyncio
            self.queue = asyncio.Queue(self.p["capacity"])
        else:
            import queue
            self.queue = queue.Queue(self.p["capacity"])
        self.left = self.p["producers"]
        self.left_lock = threading.Lock()

    def produced(self):
        with self.left_lock:
            self.left -= 1
            return self.left == 0

    def task(self, i):
        p, items = self.p["producers"], self.p["items"]
        across = self.kind == "process"
        if i < p:
            for v in range(i, items, p):
                self.queue.put(v)
            if across:
                # Across processes each producer ends its own stream: a multiprocessing.Queue orders one process's puts
                # (its feeder thread writes them in turn), not one process's against another's, so markers put by the
                # parent after the producers returned could overtake items still in a producer's feeder.
                for _ in range(self.p["consumers"]):
                    self.queue.put(END)
            return (0, 0, 0)  # otherwise the harness puts the end markers once every producer has returned
        count = total = squares = ends = 0
        while True:
            v = self.queue.get()
            if v == END:
                ends += 1
                # p × c markers for c consumers: each stops at its p-th; once every marker is taken, so is every item
                # (each producer's items precede its markers in the one pipe)
                if not across or ends == p:
                    return (count, total, squares)
                continue
            count += 1
            total += v
            squares += v * v

    async def atask(self, i):
        p, items = self.p["producers"], self.p["items"]
        if i < p:
            for v in range(i, items, p):
                await self.queue.put(v)
            if self.produced():
                for _ in range(self.p["consumers"]):
                    await self.queue.put(END)
            return (0, 0, 0)
        count = total = squares = 0
        while True:
            v = await self.queue.get()
            if v == END:
                return (count, total, squares)
            count += 1
            total += v
            squares += v * v

    def validate(self, results):
        items = self.p["items"]
        count = sum(r[0] for r in results)
        total = sum(r[1] for r in results)
        squares = sum(r[2] for r in results)
        check(count == items, "consumers took %d items, expected %d" % (count, items))
        check(total == items * (items - 1) // 2, "the items' sum is wrong: lost or duplicated items")
        check(squares == (items - 1) * items * (2 * items - 1) // 6, "the items' squares are wrong")


class Spawn(Workload):
    formula = "none: the figure is the cost per task (median ÷ tasks)"

    def task_count(self):
        return self.p["tasks"]

    def task(self, i):
        return i

    async def atask(self, i):
        return i

    def validate(self, results):
        check(list(results) == list(range(self.p["tasks"])), "expected every task's index back")


class ContendedCounter(Workload):
    """Threads share a counter behind threading.Lock; processes share a multiprocessing.Value behind its lock."""
    formula = "none: the figure is the cost per increment (median ÷ increments)"

    def __init__(self, params, processors):
        super().__init__(params, processors)
        self.lock = threading.Lock()
        self.value = 0
        self.shared = None

    def reset(self):
        self.value = 0
        if self.shared is not None:
            self.shared.value = 0

    def use_processes(self):
        import multiprocessing
        self.shared = multiprocessing.get_context("fork").Value("q", 0)

    def task_count(self):
        return self.p["tasks"]

    def share(self, i):
        t, inc = self.p["tasks"], self.p["increments"]
        return inc // t + (1 if i < inc % t else 0)

    def task(self, i):
        shared = STATE["workload"].shared
        if shared is not None:
            for _ in range(self.share(i)):
                with shared.get_lock():
                    shared.value += 1
            return i
        for _ in range(self.share(i)):
            with self.lock:
                self.value += 1
        return i

    async def atask(self, i):
        for _ in range(self.share(i)):
            with self.lock:
                self.value += 1
        return i

    def validate(self, results):
        total = self.shared.value if self.shared is not None else self.value
        check(total == self.p["increments"], "the counter reads %d, expected %d: lost updates" % (total, self.p["increments"]))


WORKLOAD_CLASSES = {"sleep-io": SleepIo, "http-io": HttpIo, "cpu-sum": CpuSum, "vector-add": VectorAdd,
                    "dot-product": DotProduct, "factorial-gather": FactorialGather, "producer-consumer": ProducerConsumer,
                    "spawn": Spawn, "contended-counter": ContendedCounter}


def run_task(i):
    """What pool workers run: the prepared workload, inherited through fork."""
    return STATE["workload"].task(i)


# --------------------------------------------------------------------------------------------------------------------
# Models: each runs every task of the workload once and returns the results in task order.
# --------------------------------------------------------------------------------------------------------------------

def pool_size(model, params, processors):
    w = params.get("workers", 0)
    if w:
        return w
    if model == "thread-pool":
        return min(32, (os.cpu_count() or 1) + 4)
    return os.cpu_count() or 1


def concurrency(model, workload, params, processors):
    n = workload.task_count()
    if model == "serial":
        return 1
    if model in ("threading", "asyncio", "uvloop", "gevent"):
        if model != "threading" and not workload.waiting and workload.cpu_bound:
            return 1  # a loop runs CPU work inline, one task at a time
        return n
    return min(n, pool_size(model, params, processors))


def unsupported(model, workload_id, workload_cls):
    if model == "uvloop" and not importable("uvloop"):
        return "needs uvloop, which this interpreter cannot import: " + install_hint("uvloop")
    if model == "gevent" and not importable("gevent"):
        return "needs gevent, which this interpreter cannot import: " + install_hint("gevent")
    if model == "gevent" and workload_id in ("vector-add", "dot-product"):
        return "gevent on numpy is pointless: greenlets switch only where they wait, and numpy's work never waits"
    return None


def execute(model, workload, params, processors):
    n = workload.task_count()
    if model == "serial":
        return [workload.task(i) for i in range(n)]
    if model == "threading":
        results = [None] * n
        errors = []

        def run(i):
            try:
                results[i] = workload.task(i)
            except BaseException as e:  # noqa: B902 — crossed back to the harness
                errors.append(e)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        return results
    if model == "thread-pool":
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(params.get("workers") or None) as pool:
            return list(pool.map(workload.task, range(n)))
    if model == "process-pool":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(params.get("workers") or None, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(run_task, range(n)))
    if model == "multiprocessing-pool":
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(params.get("workers") or None) as pool:
            return pool.map(run_task, range(n))
    if model in ("asyncio", "uvloop"):
        import asyncio

        async def main():
            return await asyncio.gather(*(workload.atask(i) for i in range(n)))

        if model == "uvloop":
            import uvloop
            loop = uvloop.new_event_loop()
            try:
                return loop.run_until_complete(main())
            finally:
                loop.close()
        return asyncio.run(main())
    if model == "gevent":
        import gevent
        greenlets = [gevent.spawn(workload.task, i) for i in range(n)]
        gevent.joinall(greenlets, raise_error=True)
        return [g.value for g in greenlets]
    raise Unsupported("unknown model " + model)


def prepare_for(model, workload):
    """What a model needs of the workload before its tasks run (once per iteration, untimed)."""
    if isinstance(workload, ProducerConsumer):
        kind = "process" if model in ("process-pool", "multiprocessing-pool") else "async" if model in ("asyncio", "uvloop") else "thread"
        workload.make_queue(kind)
    if isinstance(workload, ContendedCounter) and model in ("process-pool", "multiprocessing-pool") and workload.shared is None:
        workload.use_processes()


def execute_with_end(model, workload, params, processors):
    """Producer-consumer's end markers for the models whose producers cannot count each other down."""
    if isinstance(workload, ProducerConsumer) and model not in ("asyncio", "uvloop"):
        return run_producer_consumer(model, workload, params, processors)
    return execute(model, workload, params, processors)


def run_producer_consumer(model, workload, params, processors):
    # producers and consumers run under the model; the end markers go in once the producers have returned. A pool
    # smaller than p + c cannot run them all at once: consumers would wait for producers that never start.
    n = workload.task_count()
    if model == "serial":
        raise Unsupported("producers and consumers must run at once: a serial loop would wait forever on the first full queue")
    k = pool_size(model, params, processors) if model in ("thread-pool", "process-pool", "multiprocessing-pool") else n
    if k < n:
        raise Unsupported("a pool of %d cannot run %d producers and consumers at once: they would wait on each other for ever" % (k, n))
    p, c = workload.p["producers"], workload.p["consumers"]
    if model in ("threading", "gevent", "thread-pool"):
        if model == "gevent":
            import gevent
            producers = [gevent.spawn(workload.task, i) for i in range(p)]
            consumers = [gevent.spawn(workload.task, p + j) for j in range(c)]
            gevent.joinall(producers, raise_error=True)
            for _ in range(c):
                workload.queue.put(END)
            gevent.joinall(consumers, raise_error=True)
            return [g.value for g in producers + consumers]
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(n if model == "threading" else k) as pool:
            futures = [pool.submit(workload.task, i) for i in range(n)]
            for f in futures[:p]:
                f.result()
            for _ in range(c):
                workload.queue.put(END)
            return [f.result() for f in futures]
    import multiprocessing
    # across processes the producers put the end markers themselves (see ProducerConsumer.task)
    if model == "process-pool":
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(k, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(run_task, i) for i in range(n)]
            return [f.result() for f in futures]
    with multiprocessing.get_context("fork").Pool(k) as pool:
        handles = [pool.apply_async(run_task, (i,)) for i in range(n)]
        return [h.get() for h in handles]


# --------------------------------------------------------------------------------------------------------------------
# Meters: wall and CPU time (self and waited-for children: pools are joined inside the timed region), peak RSS (reset
# between iterations through clear_refs where the kernel allows it), context switches.
# --------------------------------------------------------------------------------------------------------------------

def rusage():
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
    return int(cpu * 1e9), s.ru_nvcsw + c.ru_nvcsw, s.ru_nivcsw + c.ru_nivcsw


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


def peak_threads_probe():
    return threading.active_count()


def sources(workload_id, model, workload):
    readable = os.path.exists("/proc/self/status")
    return {
        "wallNanos": "time.perf_counter_ns around the model's execution",
        "cpuNanos": "getrusage(RUSAGE_SELF) + getrusage(RUSAGE_CHILDREN) user + system: pool workers count once they are "
                    "joined, which the models do inside the timed region",
        "cpuResolutionNanos": "1000",
        "allocBytes": None,
        "gc": "gc.get_stats(): collections of CPython's cyclic collector (reference counting frees the rest); no time",
        "peakThreads": "threading.active_count() after the model returned (Python threads; greenlets and pool processes not included)",
        "ctxSwitches": "getrusage-self-and-children",
        "peakRss": (("VmHWM of /proc/self/status, reset before each iteration through /proc/self/clear_refs (this process; "
                     "pool workers not included)") if PEAK_RESETTABLE else
                    "VmHWM of /proc/self/status since the worker started: an upper bound of the iteration's peak")
        if readable else "not measured: /proc/self/status is not readable here",
        "heapAfter": "not measured: CPython has no heap figure like the JVM's",
        "latency": "not measured: the Python worker does not record per-task latency yet",
        "pinned": "not measured: virtual threads are the JVM's",
    }


# --------------------------------------------------------------------------------------------------------------------
# The harness.
# --------------------------------------------------------------------------------------------------------------------

def emit(event):
    PROTOCOL.write(json.dumps(event, separators=(",", ":")) + "\n")
    PROTOCOL.flush()


def describe(e):
    import traceback
    frames = traceback.extract_tb(e.__traceback__)
    where = (" (at %s:%d in %s)" % (os.path.basename(frames[-1].filename), frames[-1].lineno, frames[-1].name)) if frames else ""
    text = "%s: %s%s" % (type(e).__name__, e, where)
    cause = e.__cause__ or e.__context__
    depth = 0
    while cause is not None and depth < 5:
        text += " <- caused by %s: %s" % (type(cause).__name__, cause)
        cause = cause.__cause__ or cause.__context__
        depth += 1
    return text[:4000]


def not_run(cell, status, error):
    return {"workload": cell["workload"], "model": cell["model"], "params": cell["params"], "modelParams": cell["modelParams"],
            "status": status, "concurrency": None, "idealNanos": None, "idealFormula": None, "oneThreadNanos": None,
            "warmupWallNanos": [], "samples": [], "metricSources": {}, "error": error, "workerPids": None}


def once(model, workload, params, processors):
    import gc
    workload.reset()
    prepare_for(model, workload)
    gc.collect()
    reset_peak()
    rss_before = status_bytes("VmRSS:")
    gc_before = sum(s["collections"] for s in gc.get_stats())
    cpu0, vol0, inv0 = rusage()
    start = time.perf_counter_ns()
    results = execute_with_end(model, workload, params, processors)
    wall = time.perf_counter_ns() - start
    cpu1, vol1, inv1 = rusage()
    threads_after = peak_threads_probe()
    peak = status_bytes("VmHWM:")
    gcs = sum(s["collections"] for s in gc.get_stats()) - gc_before
    workload.validate(results)
    return {"wallNanos": wall, "cpuNanos": cpu1 - cpu0, "allocBytes": None, "gcCount": gcs, "gcNanos": None,
            "peakThreads": threads_after, "ctxSwitchesVoluntary": vol1 - vol0, "ctxSwitchesInvoluntary": inv1 - inv0, "fork": None,
            "rssBeforeBytes": rss_before, "peakRssBytes": peak, "heapAfterBytes": None, "latencyP50Nanos": None,
            "latencyP99Nanos": None, "latencyMaxNanos": None, "pinnedCount": None, "pinnedNanos": None}


ONE_THREAD_UNIT = 1_000_000_000_000


def measure(cell, settings, processors):
    model, workload_id = cell["model"], cell["workload"]
    if workload_id not in WORKLOAD_CLASSES:
        return not_run(cell, "failed", "unknown workload '%s' for the Python runtime" % workload_id), None
    if model not in {m["id"] for m in MODELS}:
        return not_run(cell, "failed", "unknown model '%s' for the Python runtime" % model), None
    reason = unsupported(model, workload_id, WORKLOAD_CLASSES[workload_id])
    if reason:
        return not_run(cell, "unsupported", reason), None
    params, model_params = cell["params"], cell["modelParams"] or {}
    try:
        workload = WORKLOAD_CLASSES[workload_id](params, processors)
    except Unsupported as e:
        return not_run(cell, "unsupported", str(e)), None
    STATE["workload"] = workload
    try:
        k = concurrency(model, workload, model_params, processors)
        warmups = []
        for i in range(settings["warmups"]):
            emit({"event": "iteration", "index": cell["index"], "phase": "warmup", "iteration": i + 1, "of": settings["warmups"]})
            warmups.append(once(model, workload, model_params, processors)["wallNanos"])
        samples = []
        for i in range(settings["iterations"]):
            emit({"event": "iteration", "index": cell["index"], "phase": "measure", "iteration": i + 1, "of": settings["iterations"]})
            samples.append(once(model, workload, model_params, processors))
        per_one_thread = None
        ideal = None
        if workload.cpu_bound:
            per_one_thread = workload.ideal(k, ONE_THREAD_UNIT) / ONE_THREAD_UNIT
        else:
            value = workload.ideal(k, None)
            ideal = None if value is None else int(value)
        result = {"workload": workload_id, "model": model, "params": params, "modelParams": model_params, "status": "ok",
                  "concurrency": k, "idealNanos": ideal, "idealFormula": workload.formula, "oneThreadNanos": None,
                  "warmupWallNanos": warmups, "samples": samples, "metricSources": sources(workload_id, model, workload),
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
    if len(argv) != 2:
        print("usage: worker.py SPEC.json | --catalog | --probe", file=sys.stderr)
        return 2
    try:
        with open(argv[1]) as f:
            spec = json.load(f)
        watch_parent()  # before any monkey-patching: the watchdog must stay a real thread blocked in a real read
        fixtures = os.environ.get("CONLAB_PYTHON_FIXTURES")
        if fixtures:  # tests only: workloads that raise, hang, crash or answer wrongly, added to WORKLOAD_CLASSES
            with open(fixtures, encoding="utf-8") as f:
                exec(compile(f.read(), fixtures, "exec"), globals())
        gevent_cells = [c for c in spec["cells"] if c["model"] == "gevent"]
        if gevent_cells and importable("gevent"):
            if len(spec["cells"]) > len(gevent_cells):
                raise RuntimeError("gevent cells need a worker of their own (monkey-patching changes the whole process)")
            from gevent import monkey
            monkey.patch_all()
        processors = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        emit({"event": "hello", "machine": None, "jvm": None, "python": probe()})
        for cell in spec["cells"]:
            emit({"event": "cell-start", "index": cell["index"], "workload": cell["workload"], "model": cell["model"]})
            result, per_one_thread = measure(cell, spec["settings"], processors)
            emit({"event": "cell", "index": cell["index"], "result": result, "idealPerOneThread": per_one_thread})
        emit({"event": "done"})
        return 0
    except BaseException as e:  # noqa: B902
        emit({"event": "error", "message": describe(e)})
        return 1


if __name__ == "__main__":
    code = main(sys.argv)
    PROTOCOL.flush()
    os._exit(code)
