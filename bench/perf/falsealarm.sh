#!/usr/bin/env bash
# The false-alarm rate of the regression detection (issue #18) on this machine's own repeated runs: N identical
# smoke runs of a few cells (a waiting one, a sequential and a parallel CPU one), then FalseAlarms draws 10,000
# series of 60 nights from each cell's N medians (with replacement) and counts the series where a step is found;
# and the same with a 15 % step at night 40. Run on an idle machine (about 20 s per run on 2 cores).
# Usage: bench/perf/falsealarm.sh [runs, default 20] [JDK feature, default 25]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-20}"; jdk="${2:-25}"
out=target/perf/falsealarm
mkdir -p "$out"
for i in $(seq 1 "$runs"); do
  ./conlab run --suite smoke --jdk "$jdk" --workloads sleep-io,cpu-sum,dot-product --models sequential,threads,parallel-stream \
    --no-progress --out "$out/run-$(printf %02d "$i").json" > /dev/null
done
./mvnw -q -B -o -pl bench test-compile dependency:build-classpath -Dmdep.outputFile=target/falsealarm.cp -Dmdep.includeScope=test
java -cp "bench/target/test-classes:bench/target/classes:$(cat bench/target/falsealarm.cp)" dev.conlab.bench.perf.FalseAlarms "$out"
