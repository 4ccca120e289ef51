#!/usr/bin/env bash
# Reproduces the figures of issue #25 in docs/PERFORMANCE.md ("The machine's noise and the code's"), on an idle machine;
# documents and tables under target/perf/noise/, summarised by bench/perf/analyze_noise.py.
#   repeats   six identical runs of dot-product × parallel-stream, default suite (JDK 25)       ≈ 10 min
#   aa        the same command twice in a row, then compared (A/A): cpu-sum, dot-product, sleep-io, contended-counter
#             × sequential, fixed-pool, fork-join, virtual-threads                                ≈ 30 min
#   paired    --jdk 17 --jdk 25 --interleave, cpu-sum × sequential, fork-join, twice               ≈ 10 min
#   disturbed a run of cpu-sum × sequential, fork-join with two busy processes started 15 s in     ≈ 2 min
#   cost      a smoke-sized run with and without the machine probe, alternately, five times each  ≈ 6 min
#   pool      40 forks of dot-product and cpu-sum × parallel-stream (coverage of the intervals)   ≈ 14 min
#   suite     the whole default suite once (JDK 25): its total time, for the README                ≈ 60–90 min
# Usage: bench/perf/noise.sh [repeats|aa|paired|disturbed|cost|pool|suite ...] [-- extra conlab run options]
# (with no experiment named, all but suite). The old settings (3 fixed forks) are compared with: -- --forks 3
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/perf/noise
mkdir -p "$out"
experiments=()
extra=()
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--" ]]; then shift; extra=("$@"); break; fi
  experiments+=("$1"); shift
done
[[ ${#experiments[@]} -eq 0 ]] && experiments=(repeats aa paired disturbed cost pool)
tag=${CONLAB_NOISE_TAG:-new}
run() { local name=$1; shift; /usr/bin/time -f "%e s" -o "$out/$name.time" ./conlab run --no-progress --out "$out/$name.json" "$@" "${extra[@]}" > "$out/$name.txt" 2>&1; }
for e in "${experiments[@]}"; do
  case "$e" in
    repeats)
      for i in 1 2 3 4 5 6; do run "$tag-repeat-$i" --suite default --jdk 25 --workloads dot-product --models parallel-stream; done ;;
    aa)
      for i in a b; do run "$tag-aa-$i" --suite default --jdk 25 --workloads cpu-sum,dot-product,sleep-io,contended-counter \
        --models sequential,fixed-pool,fork-join,virtual-threads; done ;;
    paired)
      for i in 1 2; do run "$tag-paired-$i" --suite default --jdk 17 --jdk 25 --interleave --workloads cpu-sum --models sequential,fork-join; done ;;
    disturbed)
      ( sleep 15; for _ in 1 2; do timeout 6 python3 -c "while True: pass" & done; wait ) &
      run "$tag-disturbed" --suite default --jdk 25 --workloads cpu-sum --models sequential,fork-join
      wait ;;
    cost)
      for i in 1 2 3 4 5; do
        run "$tag-cost-on-$i" --suite default --jdk 25 --workloads sleep-io,cpu-sum --models sequential,fork-join --forks 3
        run "$tag-cost-off-$i" --suite default --jdk 25 --workloads sleep-io,cpu-sum --models sequential,fork-join --forks 3 --no-machine-probe
      done ;;
    suite)
      run "$tag-suite" --suite default --jdk 25 ;;
    pool)
      run "$tag-pool" --suite default --jdk 25 --workloads dot-product,cpu-sum --models parallel-stream --forks 40 ;;
    *) echo "unknown experiment $e" >&2; exit 2 ;;
  esac
done
echo "documents and tables in $out; summary: python3 bench/perf/analyze_noise.py $out"
