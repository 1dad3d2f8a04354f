#!/usr/bin/env bash
# Cost of the vulnerability database in `portcullis scan`: every corpus image scanned by the runnable jar in fresh
# processes, with an imported database (the shared feeds) and without one, alternating; then the database open
# alone in fresh JVMs, cold and after a scan of the first image, as scan does it (read-only) and as it did before
# (migrating), for reference.
# Usage: bench/scanner/with-db.sh [CORPUS_DIR] [ROUNDS=5]
#        PORTCULLIS_JAR=other.jar bench/scanner/with-db.sh    (scan timings of another build; no rebuild)
# Prints per image the median wall and CPU (user+sys, all threads) of each, and the with/without ratio.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$root/../shared/corpus}"
rounds="${2:-5}"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
jar="${PORTCULLIS_JAR:-}"
if [ -z "$jar" ]; then
  ./mvnw -q -o -DskipTests package
  jar="$root/cli/target/portcullis.jar"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$jar" "$work/portcullis.jar" # a rebuild of the checkout cannot change a running benchmark
jar="$work/portcullis.jar"
"$java" -jar "$jar" db import --data "$work/db" "$corpus/feeds" >/dev/null
mkdir "$work/nodb"

# one scan: prints "wall_s cpu_s"
scan() {
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$java" -jar "$jar" scan --format json --data "$1" "oci:$2/oci" \
    >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  awk '{printf "%.2f %.2f\n", $1, $2 + $3}' "$work/time"
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) commit=$(git rev-parse --short HEAD) rounds=$rounds load=$(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-26s %9s %9s %9s %9s %10s %10s\n" image wall_no wall_db cpu_no cpu_db wall_ratio cpu_ratio
for dir in "$corpus"/images/*/; do
  image="$(basename "$dir")"
  : >"$work/no"; : >"$work/with"
  scan "$work/nodb" "$dir" >/dev/null # warm the page cache
  for _ in $(seq "$rounds"); do
    scan "$work/nodb" "$dir" >>"$work/no"
    scan "$work/db" "$dir" >>"$work/with"
  done
  wn=$(cut -d' ' -f1 "$work/no" | median); wd=$(cut -d' ' -f1 "$work/with" | median)
  cn=$(cut -d' ' -f2 "$work/no" | median); cd=$(cut -d' ' -f2 "$work/with" | median)
  printf "%-26s %8.2fs %8.2fs %8.2fs %8.2fs %10.2f %10.2f\n" "$image" "$wn" "$wd" "$cn" "$cd" \
    "$(echo "$wd / $wn" | bc -l)" "$(echo "$cd / $cn" | bc -l)"
done

# DbOpenBench sits in the CLI's package (it scans through Main.run first): compiled against the jar, run with it
if ! "$JAVA_HOME/bin/javac" -cp "$jar" -d "$work/bench" "$root/bench/scanner/DbOpenBench.java" 2>"$work/err"; then
  echo "database open: DbOpenBench does not compile against $jar (a build before VulnDb.openForReading?)"
  exit 0
fi
first="$(ls -d "$corpus"/images/*/ | head -1)"
for mode in read-only migrating; do
  for where in cold after-scan; do
    : >"$work/open"
    for _ in $(seq "$rounds"); do
      if [ "$where" = cold ]; then image=(); else image=("oci:${first}oci"); fi
      "$java" -cp "$jar:$work/bench" dev.portcullis.cli.DbOpenBench "$work/db" "$mode" "${image[@]}" 2>/dev/null \
        | grep '^OPEN' >>"$work/open"
    done
    ms=$(sed 's/.* ms=\([0-9]*\).*/\1/' "$work/open" | median)
    cpu=$(sed 's/.*cpu_ms=\([0-9]*\).*/\1/' "$work/open" | median)
    printf "database open %-10s %-10s median %5d ms wall %5d ms CPU (%d runs)\n" "$mode" "$where" "$ms" "$cpu" "$rounds"
  done
done
