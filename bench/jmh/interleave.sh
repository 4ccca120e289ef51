#!/usr/bin/env bash
# One cell, the lab and JMH interleaved: `conlab run --forks F` then JMH `-f F` on the same kernel, ROUNDS times, in one
# sitting, so that both meet the same host. Prints every fork's mean per run. Needs bench/jmh/compare.sh's build
# (target/jmh-compare/classpath.txt) first. Output under target/jmh-interleave/.
# Usage: bench/jmh/interleave.sh [workload cpu-sum] [model parallel-stream] [forks 6] [rounds 2] [JDK 25]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
workload="${1:-cpu-sum}"; model="${2:-parallel-stream}"; forks="${3:-6}"; rounds="${4:-2}"; jdk="${5:-25}"
java_home=$(ls -d /usr/lib/jvm/*"$jdk"* 2>/dev/null | head -1)
java="${java_home:+$java_home/bin/}java"
cp="$root/bench/jmh/target/classes:$(cat "$root/target/jmh-compare/classpath.txt")"
out="$root/target/jmh-interleave"
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
  ./conlab run --suite default --workloads "$workload" --models "$model" --forks "$forks" --jdk "$jdk" --no-progress \
    --out "$out/lab-$r.json" > "$out/lab-$r.txt" 2>&1
  "$java" -cp "$cp" org.openjdk.jmh.Main LabKernels -p workload="$workload" -p model="$model" -f "$forks" \
    -rf json -rff "$out/jmh-$r.json" > "$out/jmh-$r.txt" 2>&1
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
for r in range(1, rounds + 1):
    c = json.load(open(f"{out}/lab-{r}.json"))["results"][0]
    forks = {}
    for s in c["samples"]: forks.setdefault(s["fork"], []).append(s["wallNanos"] / 1e6)
    print(f"round {r} lab fork means (ms):", [round(statistics.mean(v)) for _, v in sorted(forks.items())])
    raw = json.load(open(f"{out}/jmh-{r}.json"))[0]["primaryMetric"]["rawData"]
    print(f"round {r} JMH fork means (ms):", [round(statistics.mean(v)) for v in raw])
PY
