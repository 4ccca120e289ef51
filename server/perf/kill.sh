#!/usr/bin/env bash
# Reproduces issue #28's durability figure (docs/FINDINGS.md §13, docs/PERFORMANCE.md): `conlab serve` SIGKILLed at random
# moments while clients upload, queue and cancel runs, share and retract comparisons and the server's runner measures; after
# every restart each acknowledged write is checked. On H2 and, with CONLAB_TEST_PG_URL set, PostgreSQL at once
# (≈ 6 s per round and database on 2 cores; 500 rounds ≈ 50 min).
# Run it on a JDK 19+ (JAVA_HOME): its server processes then start from a class-data archive, a second faster each.
# Usage: server/perf/kill.sh [rounds, default 500] [seed, default 20261207] [h2|pg|both, default both]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/api-bench.cp -Dmdep.includeScope=test
# a copy of the build: the bench runs for most of an hour, and a rebuild meanwhile must not swap its jar under it
snap=$(mktemp -d /tmp/conlab-kill-build.XXXX)
cp -r server/target/conlab.jar server/target/lib server/target/classes server/target/test-classes "$snap/"
cp="$snap/test-classes:$snap/classes:$(cat server/target/api-bench.cp)"
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$cp" dev.conlab.server.perf.KillBench "$snap/conlab.jar" "${1:-500}" "${2:-20261207}" "${3:-both}"
