"""Workloads whose tasks wait: sleeps, loopback HTTP requests, waits between steps, and the event loop's own cost."""

import math
import subprocess
import sys
import time

from .base import STATE, Workload, check


class SleepIo(Workload):
    waiting = True
    formula = "ceil(tasks / k) × latencyMs"

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


class LoopOverhead(Workload):
    """Many tasks that each give way `hops` times and do nothing else: what remains is the scheduler's own cost — the
    event loop's (asyncio's Python loop against uvloop's libuv), or the threads' (a GIL hand-over per time.sleep(0))."""
    waiting = True
    formula = "none: the figure is the cost per hop (median ÷ (tasks × hops))"

    def task_count(self):
        return self.p["tasks"]

    def task(self, i):
        for _ in range(self.p["hops"]):
            time.sleep(0)
        return i

    async def atask(self, i):
        import asyncio
        for _ in range(self.p["hops"]):
            await asyncio.sleep(0)
        return i

    def validate(self, results):
        check(list(results) == list(range(self.p["tasks"])), "expected every task's index back")
