"""Work that is handed over: producers to consumers through a queue, trivial tasks (the cost of one), a shared counter, and
payloads shipped to each task and back (what a process pool pays to pickle them)."""

import threading
import zlib

from .base import STATE, Workload, check

END = -1


class ProducerConsumer(Workload):
    """One bounded queue per iteration: queue.Queue for threads, asyncio.Queue on a loop, multiprocessing.Queue across processes."""
    formula = "none: the figure is the cost per item (median ÷ items)"
    handoff = True

    def __init__(self, params, processors):
        super().__init__(params, processors)
        self.queue = None

    def task_count(self):
        return self.p["producers"] + self.p["consumers"]

    def prepare_for(self, model):
        self.make_queue(model.queue_kind)

    def make_queue(self, kind):
        self.kind = kind
        if kind == "process":
            import multiprocessing
            self.queue = multiprocessing.get_context("fork").Queue(self.p["capacity"])
        elif kind == "async":
            self.queue = None  # made by the first task, inside the loop: before 3.10 a Queue binds the loop current at its making
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
        if self.queue is None:
            import asyncio
            self.queue = asyncio.Queue(self.p["capacity"])
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

    def prepare_for(self, model):
        if model.processes and self.shared is None:
            self.use_processes()

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


class Payload(Workload):
    """Each task gets `kib` KiB of its own, works `work` loop steps in pure Python (holding the GIL), and sends the bytes back:
    threads share them, a process pool pickles a copy to the worker and another back."""
    cpu_bound = True
    formula = "T₁ ÷ min(tasks, P) (shipping not included)"

    def __init__(self, params, processors):
        super().__init__(params, processors)
        self.payloads = [bytes([i % 251]) * (params["kib"] * 1024) for i in range(params["tasks"])]
        self.expected_work = self.spin(params["work"])

    def task_count(self):
        return self.p["tasks"]

    def argument(self, i):
        return (i, self.payloads[i])

    @staticmethod
    def spin(steps):
        x = 0
        for j in range(steps):
            x = (x * 31 + j) & 0xFFFF
        return x

    def task(self, argument):
        i, data = argument
        return i, self.spin(self.p["work"]), zlib.crc32(data), data

    def validate(self, results):
        check(len(results) == self.p["tasks"], "expected %d answers" % self.p["tasks"])
        for i, (index, work, crc, data) in enumerate(results):
            check(index == i and work == self.expected_work, "task %d answered for task %s or worked wrongly" % (i, index))
            check(data == self.payloads[i] and crc == zlib.crc32(self.payloads[i]), "task %d's bytes came back changed" % i)

    def ideal(self, k, t1_unit):
        return t1_unit / min(self.p["tasks"], self.processors)
