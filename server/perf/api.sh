#!/usr/bin/env bash
# Reproduces the store/API figures of docs/PERFORMANCE.md (≈ 5 min on 2 cores; run on an idle machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/api-bench.cp -Dmdep.includeScope=test
cp="server/target/test-classes:server/target/classes:$(cat server/target/api-bench.cp)"
java -cp "$cp" dev.conlab.server.perf.ApiBench sample-data/smoke-jdk25.json
