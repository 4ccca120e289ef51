#!/usr/bin/env bash
# Times `./mvnw verify` on clean clones of the given commits, one after the other in one sitting, with what CI sets
# (PostgreSQL, Chromium, CI=true; see .ci/run, which must have run once on this machine to install and start them).
# Each clone builds with the local Maven repository already filled, so no download is timed.
# Usage: server/perf/suite.sh COMMIT… (default: HEAD)   e.g. server/perf/suite.sh e8563da HEAD
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
export CI=true PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CONLAB_TEST_PG_URL=jdbc:postgresql://127.0.0.1:5432/conlab_test CONLAB_TEST_PG_USER=conlab CONLAB_TEST_PG_PASSWORD=conlab
echo "machine: $(nproc) × $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem/ {print $2}') GiB"
for commit in "${@:-HEAD}"; do
  dir=$(mktemp -d /tmp/conlab-suite-XXXX)
  git clone -q "$repo" "$dir" && git -C "$dir" checkout -q "$commit"
  start=$(date +%s)
  if (cd "$dir" && ./mvnw -B -ntp verify > "$dir/verify.log" 2>&1); then result=green; else result=RED; fi
  seconds=$(( $(date +%s) - start ))
  printf '%s %s: %d min %02d s (%s), log %s\n' "$commit" "$(git -C "$dir" log -1 --format=%s | cut -c1-60)" \
    $((seconds / 60)) $((seconds % 60)) "$result" "$dir/verify.log"
done
