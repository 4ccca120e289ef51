"""Every workload of the Python runtime, by its catalog id."""

from .base import WORKLOADS
from .compute import CpuSum, DotProduct, VectorAdd
from .handoff import ContendedCounter, Payload, ProducerConsumer, Spawn
from .native import CrcCtypes, CrcPython, CrcZlib, ImageResize
from .waiting import FactorialGather, HttpIo, LoopOverhead, SleepIo

REGISTRY = {"sleep-io": SleepIo, "http-io": HttpIo, "cpu-sum": CpuSum, "vector-add": VectorAdd, "dot-product": DotProduct,
            "factorial-gather": FactorialGather, "producer-consumer": ProducerConsumer, "spawn": Spawn,
            "contended-counter": ContendedCounter, "crc-zlib": CrcZlib, "crc-ctypes": CrcCtypes, "crc-python": CrcPython,
            "image-resize": ImageResize, "loop-overhead": LoopOverhead, "payload": Payload}


def check_registry():
    missing = {w["id"] for w in WORKLOADS} ^ set(REGISTRY)
    if missing:
        raise RuntimeError("catalog.json and workloads.py disagree on the workloads: %s" % sorted(missing))
