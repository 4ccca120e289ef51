#!/usr/bin/env bash
# Reproduces the engine figures of docs/PERFORMANCE.md. Run on an otherwise idle machine; takes ~40 min on 2 cores.
#   bench/perf/engine.sh [OUTDIR]     (default OUTDIR: target/perf)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-target/perf}"
mkdir -p "$out"
./conlab --version >/dev/null   # builds if needed, before any timing

run() { local name=$1; shift; echo "== $name: conlab run $*"; ( time ./conlab run --no-progress "$@" ) 2>&1 | tee "$out/$name.txt"; }

# 1. Harness overhead: one task sleeping 100 ms, 20 iterations.
run overhead --suite smoke --workloads sleep-io --models sequential -p sleep-io.tasks=1 -p sleep-io.latencyMs=100 \
    --warmups 3 --iterations 20 --jdk all
# 2. The source articles' table: seed suite, every workload, both JDKs (also the sample data).
run seed --suite seed --jdk all --out "$out/seed.json"
# 3. cpu-sum at the default size (8 × 50,000,000).
run cpu-default --suite default --workloads cpu-sum --jdk all --out "$out/cpu-default.json"
# 4. The smoke suite on every JDK: must finish in ≤ 2 min here.
run smoke --suite smoke --jdk all --out "$out/smoke.json"
