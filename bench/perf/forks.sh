#!/usr/bin/env bash
# Reproduces the figures of issue #14 in docs/PERFORMANCE.md ("Numbers that do not depend on which JVM measured
# them"): six identical runs of dot-product × parallel-stream; dot-product and cpu-sum × parallel-stream alone, first
# and last of all ten models; vector-add × all models; all on the default suite (3 fresh JVMs per cell). Run on an
# idle machine (about 15 minutes on 2 cores); documents and tables under target/perf/forks/.
# Usage: bench/perf/forks.sh [JDK feature, default 25]
set -euo pipefail
cd "$(dirname "$0")/../.."
jdk="${1:-25}"
out=target/perf/forks
mkdir -p "$out"
all="sequential,threads,fixed-pool,cached-pool,fork-join,completable-future,virtual-threads,event-loop,processes"
run() { local name=$1; shift; ./conlab run --suite default --jdk "$jdk" --no-progress --out "$out/$name.json" "$@" > "$out/$name.txt"; }
for i in 1 2 3 4 5 6; do run "repeat-$i" --workloads dot-product --models parallel-stream; done
run alone --workloads dot-product,cpu-sum --models parallel-stream
run first --workloads dot-product,cpu-sum --models "parallel-stream,$all"
run last --workloads dot-product,cpu-sum --models "$all,parallel-stream"
run vector-add --workloads vector-add
echo "documents and tables in $out"
