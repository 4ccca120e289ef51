#!/usr/bin/env bash
# Open-ended fuzzing of the upload path (UploadFuzzTest) with a random seed, for as long as you give it. The build's own
# fuzz pass is bounded and seeded so that it is the same every time; this is where new inputs are found. A finding is
# written into server/src/test/resources/dev/conlab/server/UploadFuzzTestInputs/…: fix the bug and commit the input,
# and every build replays it from then on.
# Usage: server/perf/fuzz.sh [seconds, default 600]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-600}"
seed=$(( (RANDOM << 15) | RANDOM ))
echo "fuzzing the upload path for ${seconds} s from seed ${seed}"
./mvnw -q -B install -DskipTests
JAZZER_FUZZ=1 ./mvnw -B -pl server surefire:test -Dtest=UploadFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-seed="${seed}" -Djazzer.internal.arg.2=-max_total_time="${seconds}"
