#!/usr/bin/env bash
# Reproduces the figures of issue #15 in docs/PERFORMANCE.md ("Scaling curves"): the whole scaling suite on one JDK
# (every workload swept over its regime, every model; its wall time is the suite's cost), then JEP 444's case by
# itself — sleep-io, 1 s, 10,000 and 100,000 tasks under threads and virtual-threads in 3 forks. Run on an idle
# machine; documents and summaries under target/perf/scaling/.
# Usage: bench/perf/scaling.sh [JDK feature, default 25]
set -euo pipefail
cd "$(dirname "$0")/../.."
jdk="${1:-25}"
out=target/perf/scaling
mkdir -p "$out"
start=$(date +%s)
./conlab run --suite scaling --jdk "$jdk" --no-progress --out "$out/scaling-jdk$jdk.json" > "$out/scaling-jdk$jdk.txt" 2>&1
echo "scaling suite on JDK $jdk: $(( $(date +%s) - start )) s" | tee "$out/scaling-jdk$jdk.time"
./conlab run --suite scaling --workloads sleep-io --models threads,virtual-threads -p sleep-io.tasks=10000,100000 \
  --forks 3 --jdk "$jdk" --no-progress --out "$out/jep444-jdk$jdk.json" > "$out/jep444-jdk$jdk.txt" 2>&1
echo "documents and summaries in $out"
