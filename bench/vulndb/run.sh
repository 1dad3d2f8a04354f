#!/usr/bin/env bash
# Vulnerability database benchmark: import rate, matching latency, re-matching after an update.
# Usage: bench/vulndb/run.sh [RECORDS=500000] [INVENTORIES=100000] [UPDATE=1000]
# Prints each measure with a reference measured in the same run, and the ratio between them.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
corpus="${PORTCULLIS_CORPUS:-}"
if [ -z "$corpus" ]; then
  dir="$root"
  while [ "$dir" != "/" ] && [ ! -d "$dir/../shared/corpus/feeds" ]; do dir="$(dirname "$dir")"; done
  corpus="$dir/../shared/corpus"
fi
cd "$root"
./mvnw -q -o -pl vulndb -am package -Dmaven.test.skip=true
# project classes from this checkout, third-party jars from the local repository
deps="$(./mvnw -q -o -pl vulndb dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime \
  -Dmdep.excludeGroupIds=dev.portcullis)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# a copy of the classes, so rebuilding the checkout cannot change a running benchmark
for m in oci storage vulndb; do cp -r "$root/$m/target/classes" "$work/$m-classes"; done
cp="$work/oci-classes:$work/storage-classes:$work/vulndb-classes:$deps"
"$JAVA_HOME/bin/java" -Xmx3g --enable-native-access=ALL-UNNAMED -cp "$cp" \
  "$root/bench/vulndb/VulnDbBench.java" "$corpus" "$work" "${1:-500000}" "${2:-100000}" "${3:-1000}"
