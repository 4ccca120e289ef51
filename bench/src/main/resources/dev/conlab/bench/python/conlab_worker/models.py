"""The models: one class per model of the catalog, registered by its id. Each says how many tasks it runs at once, what it
cannot run and why, and runs every task of a workload once, returning the results in task order."""

import os
import threading

from .base import MODELS, Unsupported, importable, install_hint, run_task
from .handoff import END


class Model:
    id = None
    queue_kind = "thread"  # the queue producer-consumer hands items through under this model
    processes = False  # tasks run in other processes: what they share must be shared across processes
    loop = False  # an event loop: CPU work runs inline, one task at a time
    module = None  # a module the model needs, with its install command when missing

    def __init__(self, params):
        self.params = params or {}

    def unsupported(self, workload_id):
        if self.module and not importable(self.module):
            return "needs %s, which this interpreter cannot import: %s" % (self.module, install_hint(self.module))
        return IMPOSSIBLE.get((workload_id, self.id))

    def concurrency(self, workload, processors):
        return workload.task_count()

    def run(self, workload, processors):
        if workload.handoff and not self.loop:
            return self.handoff(workload, processors)
        return self.execute(workload, workload.task_count())

    def handoff(self, workload, processors):
        raise Unsupported("producers and consumers must run at once: a serial loop would wait forever on the first full queue")


def _pool_fits(k, n):
    # a pool smaller than p + c cannot run them all at once: consumers would wait for producers that never start
    if k < n:
        raise Unsupported("a pool of %d cannot run %d producers and consumers at once: they would wait on each other for ever" % (k, n))


def _threads_handoff(workload, size):
    """Producers and consumers on threads; the end markers go in once the producers have returned."""
    from concurrent.futures import ThreadPoolExecutor
    p, c = workload.p["producers"], workload.p["consumers"]
    with ThreadPoolExecutor(size) as pool:
        futures = [pool.submit(workload.task, i) for i in range(p + c)]
        for f in futures[:p]:
            f.result()
        for _ in range(c):
            workload.queue.put(END)
        return [f.result() for f in futures]


class Serial(Model):
    id = "serial"

    def concurrency(self, workload, processors):
        return 1

    def execute(self, workload, n):
        return [workload.task(workload.argument(i)) for i in range(n)]


class Threading(Model):
    id = "threading"

    def execute(self, workload, n):
        results = [None] * n
        errors = []

        def run(i):
            try:
                results[i] = workload.task(workload.argument(i))
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

    def handoff(self, workload, processors):
        return _threads_handoff(workload, workload.task_count())


class Pool(Model):
    default_size = None

    def size(self):
        return self.params.get("workers") or self.default_size()

    def concurrency(self, workload, processors):
        return min(workload.task_count(), self.size())


class ThreadPool(Pool):
    id = "thread-pool"

    @staticmethod
    def default_size():
        return min(32, (os.cpu_count() or 1) + 4)  # ThreadPoolExecutor's own default

    def execute(self, workload, n):
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(self.size()) as pool:
            return list(pool.map(workload.task, [workload.argument(i) for i in range(n)]))

    def handoff(self, workload, processors):
        _pool_fits(self.size(), workload.task_count())
        return _threads_handoff(workload, self.size())


def _fork():
    import multiprocessing
    return multiprocessing.get_context("fork")


class ProcessPool(Pool):
    id = "process-pool"
    queue_kind = "process"
    processes = True

    @staticmethod
    def default_size():
        return os.cpu_count() or 1

    def execute(self, workload, n):
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(self.size(), mp_context=_fork()) as pool:
            return list(pool.map(run_task, [workload.argument(i) for i in range(n)]))

    def handoff(self, workload, processors):
        # across processes the producers put the end markers themselves (see handoff.ProducerConsumer.task)
        n = workload.task_count()
        _pool_fits(self.size(), n)
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(self.size(), mp_context=_fork()) as pool:
            futures = [pool.submit(run_task, i) for i in range(n)]
            return [f.result() for f in futures]


class MultiprocessingPool(ProcessPool):
    id = "multiprocessing-pool"

    def execute(self, workload, n):
        with _fork().Pool(self.size()) as pool:
            return pool.map(run_task, [workload.argument(i) for i in range(n)])

    def handoff(self, workload, processors):
        n = workload.task_count()
        _pool_fits(self.size(), n)
        with _fork().Pool(self.size()) as pool:
            handles = [pool.apply_async(run_task, (i,)) for i in range(n)]
            return [h.get() for h in handles]


class Asyncio(Model):
    id = "asyncio"
    queue_kind = "async"
    loop = True

    def concurrency(self, workload, processors):
        return 1 if workload.cpu_bound and not workload.waiting else workload.task_count()

    def new_loop(self):
        import asyncio
        return asyncio.new_event_loop()

    def execute(self, workload, n):
        import asyncio

        async def main():
            return await asyncio.gather(*(workload.atask(i) for i in range(n)))

        loop = self.new_loop()
        try:
            return loop.run_until_complete(main())
        finally:
            loop.close()


class Uvloop(Asyncio):
    id = "uvloop"
    module = "uvloop"

    def new_loop(self):
        import uvloop
        return uvloop.new_event_loop()


class Gevent(Model):
    """A greenlet per task; the worker was monkey-patched at its start (gevent cells get a worker process of their own)."""
    id = "gevent"
    module = "gevent"

    def concurrency(self, workload, processors):
        return 1 if workload.cpu_bound and not workload.waiting else workload.task_count()

    def execute(self, workload, n):
        import gevent
        greenlets = [gevent.spawn(workload.task, workload.argument(i)) for i in range(n)]
        gevent.joinall(greenlets, raise_error=True)
        return [g.value for g in greenlets]

    def handoff(self, workload, processors):
        import gevent
        p, c = workload.p["producers"], workload.p["consumers"]
        producers = [gevent.spawn(workload.task, i) for i in range(p)]
        consumers = [gevent.spawn(workload.task, p + j) for j in range(c)]
        gevent.joinall(producers, raise_error=True)
        for _ in range(c):
            workload.queue.put(END)
        gevent.joinall(consumers, raise_error=True)
        return [g.value for g in producers + consumers]


REGISTRY = {cls.id: cls for cls in (Serial, Threading, ThreadPool, ProcessPool, MultiprocessingPool, Asyncio, Uvloop, Gevent)}

# pairs that cannot exist by construction, with the reason: catalog.json's "impossible" list (the lab reads it too)
IMPOSSIBLE = {}


def load_impossible(catalog):
    for pair in catalog.get("impossible", []):
        IMPOSSIBLE[(pair["workload"], pair["model"])] = pair["reason"]


def check_registry():
    missing = {m["id"] for m in MODELS} ^ set(REGISTRY)
    if missing:
        raise RuntimeError("catalog.json and models.py disagree on the models: %s" % sorted(missing))
