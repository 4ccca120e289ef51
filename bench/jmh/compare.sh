#!/usr/bin/env bash
# The lab against JMH on the same kernels, in one sitting: JMH 1.37 runs the lab's own workload and model classes
# (bench/jmh, LabKernels: cpu-sum, dot-product, vector-add, sleep-io × sequential, fixed-pool, fork-join,
# parallel-stream, default sizes, 3 forks × (2 warm-ups + 3 iterations), SingleShotTime), then `conlab run` measures
# the same cells with the same forks, warm-ups and iterations, and CompareWithLab prints the medians, both intervals
# and the ratios. Run on an idle machine (about 12 minutes on 2 cores); output under target/jmh-compare/.
# Usage: bench/jmh/compare.sh [JDK feature, default 25]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
jdk="${1:-25}"
java_home=$(ls -d /usr/lib/jvm/*"$jdk"* 2>/dev/null | head -1)
java="${java_home:+$java_home/bin/}java"
out="$root/target/jmh-compare"
mkdir -p "$out"
./mvnw -q -B install -DskipTests
./mvnw -q -B -f bench/jmh/pom.xml package dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt"
cp="$root/bench/jmh/target/classes:$(cat "$out/classpath.txt")"
echo "== JMH on JDK $jdk ($java)"
"$java" -cp "$cp" org.openjdk.jmh.Main LabKernels -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt"
echo "== the lab on JDK $jdk"
./conlab run --suite default --workloads cpu-sum,dot-product,vector-add,sleep-io \
  --models sequential,fixed-pool,fork-join,parallel-stream --forks 3 --warmups 2 --iterations 3 --jdk "$jdk" \
  --no-progress --out "$out/lab.json" | tee "$out/lab.txt"
echo "== lab against JMH"
"$java" -cp "$cp" dev.conlab.jmh.CompareWithLab "$out/jmh.json" "$out/lab.json" | tee "$out/compare.txt"
