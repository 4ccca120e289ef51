#!/usr/bin/env bash
# Issue #27's acceptance, as a user meets it: a task jar built outside the repository with nothing but javac against
# `conlab api-jar` — one task that sleeps 20 ms per unit, one that computes — measured with the default suite on JDK 25;
# then a Python function with an async variant on /usr/bin/python3. Prints each run's answers (the CLI's first lines).
# Documents under target/perf/tasks-answer/.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/perf/tasks-answer
rm -rf "$out" && mkdir -p "$out/src/mine" "$out/classes/META-INF/services" "$out/py"
cat > "$out/src/mine/Nap.java" <<'JAVA'
package mine;
public final class Nap implements dev.conlab.api.Task {
    public Object run(int index) throws Exception { Thread.sleep(20); return index; }
    public java.util.Map<String, Long> parameters() { return java.util.Map.of("tasks", 50L); }
}
JAVA
cat > "$out/src/mine/Crunch.java" <<'JAVA'
package mine;
public final class Crunch implements dev.conlab.api.Task {
    public Object run(int index) {
        long h = index;
        for (int i = 0; i < 20_000_000; i++) h = h * 6364136223846793005L + 1442695040888963407L;
        return h;
    }
    public java.util.Map<String, Long> parameters() { return java.util.Map.of("tasks", 16L); }
}
JAVA
cat > "$out/py/mine.py" <<'PY'
import asyncio, time
def nap(i):
    """Sleeps 20 ms."""
    time.sleep(0.02)
    return i
async def nap_async(i):
    await asyncio.sleep(0.02)
    return i
nap_params = {"tasks": 50}
PY
api=$(./conlab api-jar)
javac --release 17 -cp "$api" -d "$out/classes" "$out"/src/mine/*.java
printf 'mine.Nap\nmine.Crunch\n' > "$out/classes/META-INF/services/dev.conlab.api.Task"
jar cf "$out/mine.jar" -C "$out/classes" .
start=$(date +%s)
./conlab run --task-jar "$out/mine.jar" --jdk 25 --no-progress --out "$out/java.json" > "$out/java.txt" 2>&1
echo "java: $(( $(date +%s) - start )) s"; grep -E "Your task|^T₁" "$out/java.txt"
start=$(date +%s)
./conlab run --python-task mine:nap --python-path "$out/py" --python /usr/bin/python3 --no-progress --out "$out/python.json" \
  > "$out/python.txt" 2>&1
echo "python: $(( $(date +%s) - start )) s"; grep -E "Your task|^T₁" "$out/python.txt"
