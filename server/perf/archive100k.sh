#!/usr/bin/env bash
# Issue #28's export and import rates at 100,000 runs (docs/PERFORMANCE.md), on an idle machine (≈ 25 min on 2 cores,
# 8 GB of disk): FleetYear writes a year of nightly runs for a fleet (137 machines × 365 nights × JDK 17 and 25 = 100,010
# documents), `conlab import` loads them into a fresh H2 file; then, each timed: `conlab export` of the whole lab,
# `conlab import` of that file into an empty PostgreSQL database (CONLAB_ARCHIVE_PG_URL, default
# jdbc:postgresql://127.0.0.1:5432/conlab_archive, user/password conlab) and into an empty H2 file, the same import
# again (it skips every row), and `conlab backup`.
# Usage: server/perf/archive100k.sh [WORK_DIR, default /tmp/conlab-archive-100k] [MACHINES, default 137] [NIGHTS, default 365]
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${1:-/tmp/conlab-archive-100k}"; machines="${2:-137}"; nights="${3:-365}"
pg="${CONLAB_ARCHIVE_PG_URL:-jdbc:postgresql://127.0.0.1:5432/conlab_archive}"
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/api-bench.cp -Dmdep.includeScope=test
cp="server/target/test-classes:server/target/classes:$(cat server/target/api-bench.cp)"
jar="$work/conlab.jar"; mkdir -p "$work"; rm -rf "$work/db" "$work/db-h2" "$work/lib"
cp -r server/target/conlab.jar server/target/lib "$work/"   # a rebuild meanwhile must not swap the jar under the timings
t() { /usr/bin/time -f "   %e s wall, %U s user, %M KB peak RSS" "$@"; }
[[ -f "$work/fleet.ndjson" ]] || java -cp "$cp" dev.conlab.server.perf.FleetYear "$work/fleet.ndjson" "$machines" "$nights"
echo "== the lab: bulk import of the documents into H2"
t java -jar "$jar" import --data-dir "$work/db" "$work/fleet.ndjson"
du -sh "$work/db"
echo "== export"
t java -jar "$jar" export --no-progress --data-dir "$work/db" "$work/lab.conlab.gz"
ls -l "$work/lab.conlab.gz"
echo "== import into an empty PostgreSQL database"
db=${pg##*/}; su postgres -c "dropdb --if-exists $db && createdb -O conlab $db"
t java -jar "$jar" import --no-progress --db "$pg" --db-user conlab --db-password conlab "$work/lab.conlab.gz"
echo "== the same import again"
t java -jar "$jar" import --no-progress --db "$pg" --db-user conlab --db-password conlab "$work/lab.conlab.gz"
echo "== import into an empty H2 file"
t java -jar "$jar" import --no-progress --data-dir "$work/db-h2" "$work/lab.conlab.gz"
echo "== backup"
t java -jar "$jar" backup --no-progress --data-dir "$work/db" "$work/backup.conlab.gz"
