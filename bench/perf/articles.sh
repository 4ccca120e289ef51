#!/usr/bin/env bash
# Reproduces issue #26's figures in docs/PERFORMANCE.md ("The articles, checked"), on an idle machine; documents under
# target/perf/articles/, each run's summary (and the claims its cells decide) on stdout.
#   pypy      the articles' serial kernel: the lab's cpu-sum × serial (seed size) and a plain script timing the same kernel
#             six times, alternately, in 10 rounds on PyPy and 3 on CPython; then each round's ratio lab ÷ script
#             (the lab's median ÷ the script's median of runs 4-6) and their median                              ≈ 6 min
#   c         crc-zlib, crc-ctypes, crc-python × serial, threading, thread-pool, process-pool (default size, CPython)  ≈ 3 min
#   resize    image-resize × serial, threading, thread-pool, process-pool (default size, CPython, Pillow)            ≈ 2 min
#   loop      loop-overhead × asyncio, uvloop, threading, serial, interleaved (default size)                        ≈ 2 min
#   payload   the payload sweep (1 KiB … 10 MiB per task) × serial, thread-pool, process-pool, multiprocessing-pool  ≈ 6 min
#   runtimes  `conlab runtimes` three times (the first after emptying its cache) and the first overview after a start  ≈ 1 min
# Usage: bench/perf/articles.sh [pypy|c|resize|loop|payload|runtimes ...] (all when none is named)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/perf/articles
mkdir -p "$out"
experiments=("$@")
[[ ${#experiments[@]} -eq 0 ]] && experiments=(pypy c resize loop payload runtimes)
cpython=${CONLAB_CPYTHON:-/usr/bin/python3}
kernel='import random, sys, time
def kernel():
    return [sum(random.randint(1, 100) for _ in range(1_000_000)) for _ in range(8)]
times = []
for _ in range(6):
    t = time.perf_counter(); kernel(); times.append(time.perf_counter() - t)
print("plain script, runs 1-6 (s):", " ".join("%.3f" % x for x in times), "| median of runs 4-6: %.3f" % sorted(times[3:])[1])'
for e in "${experiments[@]}"; do
  case "$e" in
    pypy)
      for py in /usr/bin/pypy3 "$cpython"; do
        rounds=3; [[ $py == *pypy* ]] && rounds=10
        for round in $(seq 1 $rounds); do
          echo "== $py, round $round"
          ./conlab run --python "$py" --suite seed --workloads cpu-sum --models serial --out "$out/pypy-$(basename "$py")-$round.json"
          "$py" -c "$kernel" | tee "$out/pypy-$(basename "$py")-$round.script"
        done
      done
      /usr/bin/python3 - "$out" <<'PY'
import glob, json, os, re, statistics, sys
out = sys.argv[1]
for name in ("pypy3", "python3"):
    ratios = []
    for doc in sorted(glob.glob(os.path.join(out, "pypy-%s-*.json" % name)), key=lambda p: int(re.findall(r"-(\d+)\.json$", p)[0])):
        lab = statistics.median(s["wallNanos"] for s in json.load(open(doc))["results"][0]["samples"]) / 1e9
        script = float(re.findall(r"median of runs 4-6: ([0-9.]+)", open(doc[:-5] + ".script").read())[0])
        ratios.append(lab / script)
        print("%s round %s: lab %.3f s, script %.3f s, lab / script %.3f" % (name, doc.rsplit("-", 1)[1][:-5], lab, script, lab / script))
    if ratios:
        print("%s: median lab / script over %d rounds %.3f (range %.3f-%.3f)" % (name, len(ratios), statistics.median(ratios),
                                                                             min(ratios), max(ratios)))
PY
      ;;
    c) ./conlab run --python "$cpython" --suite default --workloads crc-zlib,crc-ctypes,crc-python \
         --models serial,threading,thread-pool,process-pool --out "$out/c.json" ;;
    resize) ./conlab run --python "$cpython" --suite default --workloads image-resize \
         --models serial,threading,thread-pool,process-pool --out "$out/resize.json" ;;
    loop) ./conlab run --python "$cpython" --suite default --workloads loop-overhead \
         --models serial,threading,asyncio,uvloop --interleave --out "$out/loop.json" ;;
    payload) ./conlab run --python "$cpython" --suite scaling --workloads payload \
         --models serial,thread-pool,process-pool,multiprocessing-pool --out "$out/payload.json" ;;
    runtimes)
      rm -f "${XDG_CACHE_HOME:-$HOME/.cache}/conlab/pythons.json"
      for i in 1 2 3; do /usr/bin/time -f "conlab runtimes: %e s" ./conlab runtimes > /dev/null; done
      data=$(mktemp -d)
      ./conlab serve --port 7097 --data-dir "$data" > "$data/serve.log" 2>&1 &
      pid=$!
      until curl -s -o /dev/null localhost:7097/api/health; do sleep 0.2; done
      for i in 1 2 3; do curl -s -o /dev/null -w "overview $i: %{time_total} s\n" localhost:7097/; done
      kill "$pid"; wait "$pid" || true ;;
    *) echo "unknown experiment $e" >&2; exit 2 ;;
  esac
done
