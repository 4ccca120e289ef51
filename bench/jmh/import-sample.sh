#!/usr/bin/env bash
# Writes the JMH 1.37 result files the lab's JMH import is tested with: ImportSample (bench/jmh) on JDK 17 and JDK 25,
# 2 forks × (2 warm-ups + 3 iterations of 200 ms), throughput and average-time modes, with JMH's GC profiler (so the
# files carry secondary metrics such as gc.alloc.rate.norm). About two minutes on 2 cores.
# Usage: bench/jmh/import-sample.sh [OUT_DIR, default server/src/test/resources/jmh]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="${1:-$root/server/src/test/resources/jmh}"
mkdir -p "$out" target
./mvnw -q -B -f bench/jmh/pom.xml package dependency:build-classpath -o -Dmdep.outputFile="$root/target/jmh-classpath.txt"
cp="$root/bench/jmh/target/classes:$(cat "$root/target/jmh-classpath.txt")"
for jdk in 17 25; do
  java_home=$(ls -d /usr/lib/jvm/*"$jdk"* 2>/dev/null | head -1)
  "${java_home:+$java_home/bin/}java" -cp "$cp" org.openjdk.jmh.Main ImportSample -prof gc -rf json -rff "$out/import-sample-jdk$jdk.json"
done
