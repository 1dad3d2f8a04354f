#!/usr/bin/env bash
# Scanner benchmark: scan of the largest corpus image vs a raw decompress-and-read pass, in one JVM.
# Usage: bench/scanner/run.sh [CORPUS_DIR] [ROUNDS]    (heap capped at 256 MiB to show the memory bound)
#        bench/scanner/run.sh --synthetic-mib 1024       (one scan of a generated 1 GiB image, same heap cap)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$root/../shared/corpus}"
rounds="${2:-7}"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -o -pl scanner -am test-compile -DskipTests
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -o -pl scanner dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
"$JAVA_HOME/bin/java" -Xmx256m --enable-native-access=ALL-UNNAMED \
  -cp "scanner/target/classes:scanner/target/test-classes:$(cat "$cp_file")" \
  dev.portcullis.scanner.bench.ScannerBench "$corpus" "$rounds"
