"""Concurrency Lab's Python worker, along its seams: base (the catalog, the workload contract, the shared state), the
workloads by kind of work (waiting, compute, native, handoff), models (one class per model of the catalog), meters,
probe (the interpreter's facts) and harness (warm-ups, iterations, the line protocol). worker.py is the entry point."""
