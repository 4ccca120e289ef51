#!/usr/bin/env bash
# FINDINGS §13: does an H2 file database keep a commit it acknowledged when its process is SIGKILLed? A writer inserts
# a row every 20 ms (printing each id once committed) beside three threads committing 50 KB rows and one updating, as a
# server does; it is killed after 1–3 s, the database reopened and the newest id compared with the last acknowledged.
# Usage: db/perf/h2-kill.sh [rounds, default 30] [extra URL settings, e.g. ";REUSE_SPACE=FALSE"]
set -euo pipefail
cd "$(dirname "$0")/h2kill"
h2=$(ls ~/.m2/repository/com/h2database/h2/2.5.252/h2-2.5.252.jar)
javac -d . -cp "$h2" Writer.java Check.java
rm -rf db; mkdir db
url="jdbc:h2:file:$PWD/db/x;WRITE_DELAY=0;AUTO_SERVER=TRUE${2:-}"
lost=0
for r in $(seq 1 "${1:-30}"); do
  java -cp "$h2:." Writer "$url" > out.txt 2> /dev/null &
  pid=$!
  sleep "$(python3 -c 'import random; print(1 + 2 * random.random())')"
  kill -9 $pid; wait $pid 2> /dev/null || true
  last=$(tail -1 out.txt); got=$(java -cp "$h2:." Check "$url"); max=${got#* }
  if [[ -n "$last" && "$max" -lt "$last" ]]; then lost=$((lost + 1)); echo "round $r: acknowledged $last, newest after the restart $max"; fi
done
echo "acknowledged commits lost in $lost of ${1:-30} kills"
rm -rf db out.txt ./*.class
