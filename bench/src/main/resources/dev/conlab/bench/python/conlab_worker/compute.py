"""CPU-bound workloads in Python and numpy: the articles' random-sum kernel, vector add and dot product."""

import random

from .base import Workload, check, needs


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
        needs("numpy", "numpy")
        import numpy
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
