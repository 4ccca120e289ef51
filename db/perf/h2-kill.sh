#!/usr/bin/env bash
# FINDINGS §13: does an H2 file database keep the commits it acknowledged when its process is SIGKILLed? A writer
# (h2kill/Writer.java: a row every 10 ms, each id printed once committed, beside 10 KB inserts, updates and deletes) is
# killed 0.3–2.3 s after it starts; its next start prints the newest id it finds, compared with the last acknowledged.
# A file that lost commits is kept (as the kill left it, before the restart) in WORK/lost/ with the writer's output.
# Usage: db/perf/h2-kill.sh [rounds, default 100] [h2 | lab, default h2] [WORK, default /tmp/conlab-h2-kill]
#   h2:  H2's own open (2.5.252 lost commits in 4 of 87 kills here);
#   lab: the lab's open first (dev.conlab.db.H2Recovery: a file left unclean is scanned whole), as conlab does (0 of 82).
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-100}; mode=${2:-h2}; work=${3:-/tmp/conlab-h2-kill}
h2=$(ls ~/.m2/repository/com/h2database/h2/2.5.252/h2-2.5.252.jar)
cp="$h2:$work/classes"
if [[ "$mode" == lab ]]; then (cd .. && ../mvnw -q -o install -DskipTests); cp="$cp:$(ls ../target/db-*.jar | grep -v tests | head -1)"; fi
rm -rf "$work"; mkdir -p "$work/db" "$work/lost" "$work/classes"
javac -d "$work/classes" -cp "$h2" h2kill/Writer.java
url="jdbc:h2:file:$work/db/x;WRITE_DELAY=0;AUTO_SERVER=TRUE"
last=""; lost=0
for r in $(seq 1 "$rounds"); do
  java -cp "$cp" Writer "$url" "$mode" > "$work/out.txt" 2>> "$work/err.txt" &
  pid=$!
  for _ in $(seq 1 400); do grep -q START "$work/out.txt" 2>/dev/null && break; sleep 0.05; done
  start=$(grep START "$work/out.txt" | head -1 | cut -d' ' -f2)
  if [[ -n "$last" && -n "$start" && "$start" -lt "$last" ]]; then
    lost=$((lost + 1)); echo "round $r: acknowledged $last, newest after the restart $start"
    cp "$work/killed.mv.db" "$work/lost/round-$r.mv.db"; cp "$work/killed.out" "$work/lost/round-$r.out"
  fi
  sleep "$(python3 -c 'import random; print(0.3 + 2 * random.random())')"
  kill -9 $pid; wait $pid 2> /dev/null || true
  rm -f "$work/db/x.lock.db"   # the process is dead: its AUTO_SERVER lock file need not age first
  last=$(grep -v START "$work/out.txt" | tail -1)
  cp "$work/db/x.mv.db" "$work/killed.mv.db"; cp "$work/out.txt" "$work/killed.out"
done
echo "acknowledged commits lost in $lost of $rounds kills ($mode)"
