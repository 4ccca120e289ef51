#!/usr/bin/env bash
# Reproduces the /compare figure of docs/PERFORMANCE.md: the comparison page of 4 full smoke runs (110 cells
# each: the two in sample-data/ and a copy of each under a new id) on a fresh H2 server, 50 warm-up requests,
# then 300 timed ones from curl over loopback (time to the last byte: an upper bound of the server's time).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests
dir=$(mktemp -d)
port=${PORT:-7391}
token=$(java -jar server/target/conlab.jar token create --name bench --scopes upload --data-dir "$dir" | grep -o 'clb_[A-Za-z0-9_-]*' | head -1)
java -jar server/target/conlab.jar serve --port "$port" --data-dir "$dir" --sample-data sample-data >"$dir/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "localhost:$port/api/health" >/dev/null; do sleep 0.5; done
ids=()
for f in sample-data/smoke-jdk17.json sample-data/smoke-jdk25.json; do
  old=$(grep -m1 -o '"id" *: *"[^"]*"' "$f" | sed 's/.*: *"\(.*\)"/\1/')
  sed "0,/$old/s//$(cat /proc/sys/kernel/random/uuid)/" "$f" >"$dir/copy.json"
  curl -sf -H "Authorization: Bearer $token" --data-binary @"$dir/copy.json" "localhost:$port/api/runs" >/dev/null
done
runs=$(curl -sf "localhost:$port/api/runs?suite=smoke&limit=4" | grep -o '"id":[0-9]*' | cut -d: -f2 | paste -sd, -)
url="localhost:$port/compare?runs=$runs"
echo "GET /compare?runs=$runs"
for _ in $(seq 50); do curl -sf -o /dev/null "$url"; done
for _ in $(seq 300); do curl -sf -o /dev/null -w '%{time_total}\n' "$url"; done | sort -n >"$dir/times"
awk '{ t[NR] = $1 * 1000 } END { printf "n %d, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n", NR, t[int(NR*0.5)], t[int(NR*0.95)], t[int(NR*0.99)], t[NR] }' "$dir/times"
