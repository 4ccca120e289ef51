#!/usr/bin/env bash
# Builds the Java examples into examples/target/conlab-examples.jar and prints its path:
#   ./conlab run --task-jar "$(examples/build.sh)" --jdk 25
# Needs a JDK 17+ (javac, jar) and the lab's launcher beside this folder, whose `api-jar` gives the API jar and whose build
# (server/target/lib) gives Jackson for ParseOrders.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
api="$("$root/conlab" api-jar)"
jackson="$(ls "$root"/server/target/lib/jackson-core-*.jar "$root"/server/target/lib/jackson-databind-*.jar \
  "$root"/server/target/lib/jackson-annotations-*.jar | tr '\n' ':')"
out="$here/target"
rm -rf "$out/classes"
mkdir -p "$out/classes/META-INF/services"
javac --release 17 -cp "$api:$jackson" -d "$out/classes" "$here"/java/src/example/*.java >&2
cp "$here/java/META-INF/services/dev.conlab.api.Task" "$out/classes/META-INF/services/"
jar cf "$out/conlab-examples.jar" -C "$out/classes" .
echo "$out/conlab-examples.jar"
