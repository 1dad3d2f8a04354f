#!/usr/bin/env bash
# Runs every Jazzer fuzz target for real (JAZZER_FUZZ=1), one module at a time. Each target is bounded by its
# maxDuration, so the run stops by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
modules=("$@")
if [ "${#modules[@]}" -eq 0 ]; then
  mapfile -t modules < <(grep -rl --include='*.java' '@FuzzTest' */src/test | cut -d/ -f1 | sort -u)
fi
./mvnw -q -DskipTests install
for m in "${modules[@]}"; do
  classes=$(grep -rl --include='*.java' '@FuzzTest' "$m/src/test" | xargs -n1 basename | sed 's/\.java$//' | paste -sd, -)
  echo "== fuzzing $m: $classes"
  JAZZER_FUZZ=1 JAZZER_INSTRUMENT="${JAZZER_INSTRUMENT:-dev.portcullis.**,com.fasterxml.jackson.core.**,org.apache.commons.compress.**}" ./mvnw -q -o -pl "$m" surefire:test -Dtest="$classes" -Dsurefire.failIfNoSpecifiedTests=false
done
