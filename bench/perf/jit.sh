#!/usr/bin/env bash
# Issue #25's attribution: what makes one fork of a parallel CPU cell slower than another? Runs FORKS forks of one cell
# with -XX:+PrintCompilation in each worker and prints, per fork, its mean time, the machine's capacity beside it and the
# JIT's compilations of the methods matching FILTER; the logs and the document go to target/perf/jit/.
# Usage: bench/perf/jit.sh [JDK, default 25] [WORKLOAD, default cpu-sum] [MODEL, default parallel-stream] [FORKS, default 16]
#        [FILTER, default CpuSumWorkload::sum]
set -euo pipefail
cd "$(dirname "$0")/../.."
jdk="${1:-25}"; workload="${2:-cpu-sum}"; model="${3:-parallel-stream}"; forks="${4:-16}"; filter="${5:-CpuSumWorkload::sum}"
out=target/perf/jit
mkdir -p "$out"
./mvnw -q -B -o -pl bench test-compile dependency:build-classpath -Dmdep.outputFile=target/jit.cp -Dmdep.includeScope=test
java -cp "bench/target/test-classes:bench/target/classes:$(cat bench/target/jit.cp)" dev.conlab.bench.perf.JitForks \
  "$jdk" "$workload" "$model" "$forks" "$filter" "$out" | tee "$out/summary.txt"
