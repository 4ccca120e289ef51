#!/usr/bin/env bash
# The read path's figures of docs/PERFORMANCE.md (issue #18): wrk -t2 -c16 for 20 s (after 10 s of warm-up) on a
# finished run's page (/runs/4) and on a shared comparison of the four sample JDK runs, against a real `conlab serve`
# (H2, sample data). Give a second jar to measure it in the same session (e.g. the build before a change).
# Usage: server/perf/pages.sh [JAR …]   (default: server/target/conlab.jar; needs wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
jars=("$@"); [[ ${#jars[@]} -eq 0 ]] && jars=(server/target/conlab.jar)
port=7391
for jar in "${jars[@]}"; do
  dir=$(mktemp -d)
  token=$(java -jar "$jar" token create --data-dir "$dir" --name bench --scopes upload 2>/dev/null | head -1)
  java -jar "$jar" serve --data-dir "$dir" --port $port --sample-data sample-data > "$dir/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do curl -sf localhost:$port/api/health > /dev/null && break; sleep 1; done
  slug=$(curl -s -H "Authorization: Bearer $token" -d '{"runs":[1,2,3,4],"title":"bench"}' localhost:$port/api/comparisons \
    | sed 's/.*"slug":"\([^"]*\)".*/\1/')
  for page in /runs/4 "/c/$slug"; do
    wrk -t2 -c16 -d10s "http://127.0.0.1:$port$page" > /dev/null
    echo "== $jar $page"
    wrk -t2 -c16 -d20s --latency "http://127.0.0.1:$port$page" | grep -E "Requests/sec|50%|99%|Non-2xx"
  done
  kill $pid; wait $pid 2> /dev/null || true
  port=$((port + 1))
done
