#!/usr/bin/env bash
# Reproduces the fleet figure of docs/PERFORMANCE.md: a real `conlab serve` (H2, sample data) with N simulated agents
# (register, then long-poll and heartbeat every 5 s) and one reader of the dashboard's pages; each page's p50/p99
# without and with the agents, and every failed agent request. Run on an idle machine (≈ 2 min).
# Usage: server/perf/fleet.sh [agents, default 50] [seconds, default 60]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/fleet-bench.cp -Dmdep.includeScope=test
cp="server/target/test-classes:server/target/classes:$(cat server/target/fleet-bench.cp)"
java -Dconlab.jar=server/target/conlab.jar -Dconlab.sampleData=sample-data -cp "$cp" dev.conlab.server.perf.FleetBench "${1:-50}" "${2:-60}"
