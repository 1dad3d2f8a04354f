#!/usr/bin/env bash
# Gate benchmark (issue 11), one JVM at -Xmx512m on real parts (SQLite, file blob store, the corpus feeds), every
# figure a ratio of the same run: push->verdict of the largest corpus image vs its standalone scan (bound 1.5x);
# promotion of a 1 GiB image vs a 1 MiB one (bound 1.5x: promotion links, it copies nothing); 50 images pushed at
# once, all judged (images/min); a policy dry-run over 10,000 stored scan results (bound 30 s). Exits 1 on a miss.
# Usage: bench/gate/run.sh [CORPUS_DIR] [ROUNDS] [IMAGES] [BIG_MIB] [STORED]   (needs ~1.2 GiB free in the temp dir)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$root/../shared/corpus}"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
# in one reactor run, so the sibling modules resolve to their target/ directories (nothing is installed); gate is
# built last, so the file ends as its classpath
./mvnw -q -o -pl gate -am test-compile dependency:build-classpath -DskipTests -Dmdep.outputFile="$cp_file" \
  -Dmdep.includeScope=test
echo "# $(date -u +%FT%TZ) portcullis=$(git rev-parse --short HEAD) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"
cp="gate/target/classes:gate/target/test-classes:$(cat "$cp_file")"
# parts 1-3 at the server's -Xmx512m; the dry run in a JVM of its own (a fresh heap, DRYRUN_HEAP, default the
# server's 512m too): it reads the stored subjects a page at a time, so 10,000 of them fit
judge=0 dry=0
"$JAVA_HOME/bin/java" -Xmx512m --enable-native-access=ALL-UNNAMED -cp "$cp" \
  dev.portcullis.gate.GateBench "$corpus" "${2:-5}" "${3:-50}" "${4:-1024}" "${5:-10000}" judge || judge=$?
"$JAVA_HOME/bin/java" -Xmx"${DRYRUN_HEAP:-512m}" --enable-native-access=ALL-UNNAMED -cp "$cp" \
  dev.portcullis.gate.GateBench "$corpus" 1 0 1 "${5:-10000}" dry-run || dry=$?
exit $((judge | dry))
