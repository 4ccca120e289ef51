#!/usr/bin/env bash
# Reproduces the figures of issue #16 in docs/PERFORMANCE.md ("Python beside the JVM") and the articles' table in
# docs/FINDINGS.md: one `conlab run` of the seed suite on JDK 25 and on a Python interpreter (default Debian's
# /usr/bin/python3, which imports numpy, uvloop and gevent), then the comparison of the two runs by each runtime's
# fastest model. Run on an idle machine; documents and summaries under target/perf/python/.
# Usage: bench/perf/python.sh [python, default /usr/bin/python3] [JDK feature, default 25]
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${1:-/usr/bin/python3}"
jdk="${2:-25}"
out=target/perf/python
mkdir -p "$out"
start=$(date +%s)
./conlab run --suite seed --jdk "$jdk" --python "$python" --no-progress --out "$out/seed.json" > "$out/seed.txt" 2>&1
echo "seed suite on JDK $jdk and $python: $(( $(date +%s) - start )) s" | tee "$out/seed.time"
# both documents into a throw-away lab, then their comparison by each runtime's fastest model (JSON and Markdown)
rm -rf "$out/data"
./conlab import --data-dir "$out/data" "$out"/seed-jdk"$jdk".json "$out"/seed-python*.json
./conlab serve --data-dir "$out/data" --no-sample-data --port 7171 > "$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fsS localhost:7171/api/health > /dev/null 2>&1 && break; sleep 1; done
curl -fsS 'localhost:7171/api/compare?runs=1,2&format=md' > "$out/compare.md"
curl -fsS 'localhost:7171/api/compare?runs=1,2' > "$out/compare.json"
echo "documents, summaries and the comparison in $out"
