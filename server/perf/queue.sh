#!/usr/bin/env bash
# Reproduces the run queue's overhead figure of docs/PERFORMANCE.md: the smoke suite through `conlab run` and
# through the queue of `conlab serve`, alternately (≈ 1.5 min per round and way on 2 cores; run on an idle machine).
# Usage: server/perf/queue.sh [JDK feature, default 25] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/api-bench.cp -Dmdep.includeScope=test
cp="server/target/test-classes:server/target/classes:$(cat server/target/api-bench.cp)"
java -cp "$cp" dev.conlab.server.perf.QueueBench server/target/conlab.jar "${1:-25}" "${2:-3}"
