#!/usr/bin/env bash
# Reproduces the load figures of docs/PERFORMANCE.md: LoadIT (16 uploaders + 32 readers against a real
# `conlab serve` on loopback, H2, sample data) for 60 s, three times; each report is appended to
# server/target/load-reports.txt. Run on an idle machine (≈ 4 min).
# Usage: server/perf/load.sh [seconds, default 60] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests
: > server/target/load-reports.txt
for round in $(seq 1 "${2:-3}"); do
  ./mvnw -q -B -pl server verify -Dit.test=LoadIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dconlab.skipFuzz=true -Dconlab.load.seconds="${1:-60}" > /dev/null
  cat server/target/load-report.txt | tee -a server/target/load-reports.txt
done
