#!/usr/bin/env bash
# Runs every Jazzer fuzz target for real (JAZZER_FUZZ=1), one target per JVM (Jazzer fuzzes only the first
# target of a JVM and skips the rest). Each target is bounded by its maxDuration, so the run stops by itself.
#   bench/fuzz/run.sh            every target of every module
#   bench/fuzz/run.sh oci auth   the targets of some modules
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
instrument="${JAZZER_INSTRUMENT:-dev.portcullis.**,com.fasterxml.jackson.core.**,org.apache.commons.compress.**}"
modules=("$@")
if [ "${#modules[@]}" -eq 0 ]; then
  mapfile -t modules < <(grep -rl --include='*.java' '@FuzzTest' */src/test | cut -d/ -f1 | sort -u)
fi
./mvnw -q -DskipTests install
for m in "${modules[@]}"; do
  for file in $(grep -rl --include='*.java' '@FuzzTest' "$m/src/test"); do
    class=$(basename "$file" .java)
    # the method name follows each @FuzzTest annotation
    for method in $(awk '/@FuzzTest/ {want=1; next} want && /void [a-zA-Z0-9_]+\(/ {match($0, /void [a-zA-Z0-9_]+\(/); print substr($0, RSTART+5, RLENGTH-6); want=0}' "$file"); do
      echo "== fuzzing $m $class#$method"
      JAZZER_FUZZ=1 JAZZER_INSTRUMENT="$instrument" ./mvnw -q -o -pl "$m" surefire:test \
        -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false
    done
  done
done
