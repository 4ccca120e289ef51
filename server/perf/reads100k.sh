#!/usr/bin/env bash
# The reads-at-100,000-runs figures of docs/PERFORMANCE.md (issue #18), on an idle machine (≈ 15 min on 2 cores, 6 GB of disk):
#   1. FleetYear writes a year of nightly runs for a fleet as NDJSON: 137 machines × 365 nights × JDK 17 and 25 = 100,010
#      documents (12 cells, 36 samples each; 1.6 GB), and `conlab import` loads them into a fresh H2 database (timed);
#   2. ReadsBench: single-client latency of the overview, /runs, run pages, /compare of 4, history pages, /jdks, … against
#      `conlab serve` on that database;
#   3. wrk -t2 -c16 on a finished run's page and on a shared comparison of 4 runs;
#   4. LoadIT (16 uploaders of full smoke documents + 32 readers, 60 s) against a copy of the database.
# Usage: server/perf/reads100k.sh [WORK_DIR, default /tmp/conlab-100k] [MACHINES, default 137] [NIGHTS, default 365]
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${1:-/tmp/conlab-100k}"; machines="${2:-137}"; nights="${3:-365}"
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/api-bench.cp -Dmdep.includeScope=test
cp="server/target/test-classes:server/target/classes:$(cat server/target/api-bench.cp)"
mkdir -p "$work"; rm -rf "$work/db" "$work/db-load"
java -cp "$cp" dev.conlab.server.perf.FleetYear "$work/fleet.ndjson" "$machines" "$nights"
echo "== bulk import"
/usr/bin/time -f "%e s wall, %U s user, %M KB peak RSS" java -jar server/target/conlab.jar import --data-dir "$work/db" "$work/fleet.ndjson"
du -sh "$work/db"
cp -r "$work/db" "$work/db-load"
token=$(java -jar server/target/conlab.jar token create --data-dir "$work/db" --name "reads-$$" --scopes upload | head -1)
java -jar server/target/conlab.jar serve --data-dir "$work/db" --no-sample-data --port 7400 > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf localhost:7400/api/health > /dev/null && break; sleep 1; done
sleep 30 # the alerts of every machine are computed in the background as the server starts
echo "== single client"
java -cp "$cp" dev.conlab.server.perf.ReadsBench http://127.0.0.1:7400 200
newest=$(curl -s 'localhost:7400/api/runs?limit=1' | sed 's/.*"runs":\[{"id":\([0-9]*\).*/\1/')
slug=$(curl -s -H "Authorization: Bearer $token" -d "{\"runs\":[$((newest-3)),$((newest-2)),$((newest-1)),$newest],\"title\":\"bench\"}" \
  localhost:7400/api/comparisons | sed 's/.*"slug":"\([^"]*\)".*/\1/')
for page in "/runs/$newest" "/c/$slug"; do
  wrk -t2 -c16 -d10s "http://127.0.0.1:7400$page" > /dev/null
  echo "== wrk $page"
  wrk -t2 -c16 -d20s --latency "http://127.0.0.1:7400$page" | grep -E "Requests/sec|50%|99%|Non-2xx"
done
kill $pid; wait $pid 2> /dev/null || true
echo "== 16 uploaders + 32 readers, 60 s"
./mvnw -q -B -pl server verify -Dit.test=LoadIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dconlab.skipFuzz=true \
  -Dconlab.load.seconds=60 -Dconlab.load.dataDir="$work/db-load" > "$work/load.log"
cat server/target/load-report.txt
