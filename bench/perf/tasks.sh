#!/usr/bin/env bash
# Issue #27's wrapper cost: a task of yours that sleeps 1 ms per unit (built here with javac against `conlab api-jar`)
# against the built-in sleep-io at 1 ms, 100 units each, under sequential and virtual-threads, interleaved in one
# sitting (6 forks each) — the ratio of the two medians is what the Task wrapper adds. Documents under target/perf/tasks/.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/perf/tasks
rm -rf "$out" && mkdir -p "$out/src/perf" "$out/classes/META-INF/services"
cat > "$out/src/perf/OneMs.java" <<'JAVA'
package perf;
public final class OneMs implements dev.conlab.api.Task {
    public Object run(int index) throws Exception {
        Thread.sleep(1);
        return index;
    }
}
JAVA
api=$(./conlab api-jar)
javac --release 17 -cp "$api" -d "$out/classes" "$out/src/perf/OneMs.java"
echo perf.OneMs > "$out/classes/META-INF/services/dev.conlab.api.Task"
jar cf "$out/one-ms.jar" -C "$out/classes" .
./conlab run --task-jar "$out/one-ms.jar" --suite default --workloads sleep-io,one-ms --models sequential,virtual-threads \
  -p sleep-io.tasks=100 -p sleep-io.latencyMs=1 -p one-ms.tasks=100 --forks 6 --target-ci 50 --max-forks 6 --interleave \
  --out "$out/tasks.json"
/usr/bin/python3 - "$out/tasks.json" <<'PY'
import json, statistics, sys
doc = json.load(open(sys.argv[1]))
med = {}
for c in doc["results"]:
    med[(c["workload"], c["model"])] = statistics.median(s["wallNanos"] for s in c["samples"]) / 1e6
for model in ("sequential", "virtual-threads"):
    a, b = med[("one-ms", model)], med[("sleep-io", model)]
    print("%s: task %.3f ms, sleep-io %.3f ms, task / sleep-io %.4f" % (model, a, b, a / b))
PY

# The same on Python (/usr/bin/python3): a function of yours that sleeps 1 ms against the worker's sleep-io at 1 ms,
# under serial and asyncio (which awaits its async variant), interleaved in one sitting with 6 forks each.
mkdir -p "$out/py"
cat > "$out/py/onems.py" <<'PY'
import asyncio, time
def one_ms(i):
    """Sleeps 1 ms."""
    time.sleep(0.001)
    return i
async def one_ms_async(i):
    await asyncio.sleep(0.001)
    return i
one_ms_params = {"tasks": 100}
PY
./conlab run --python-task onems:one_ms --python-path "$out/py" --python /usr/bin/python3 --suite default \
  --workloads sleep-io,one-ms --models serial,asyncio -p sleep-io.tasks=100 -p sleep-io.latencyMs=1 -p one-ms.tasks=100 \
  --forks 6 --target-ci 50 --max-forks 6 --interleave --out "$out/python.json"
/usr/bin/python3 - "$out/python.json" <<'PY'
import json, statistics, sys
doc = json.load(open(sys.argv[1]))
med = {}
for c in doc["results"]:
    med[(c["workload"], c["model"])] = statistics.median(s["wallNanos"] for s in c["samples"]) / 1e6
for model in ("serial", "asyncio"):
    a, b = med[("one-ms", model)], med[("sleep-io", model)]
    print("python %s: task %.3f ms, sleep-io %.3f ms, task / sleep-io %.4f" % (model, a, b, a / b))
PY
