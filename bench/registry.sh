#!/usr/bin/env bash
# Portcullis vs CNCF distribution (Debian docker-registry 2.8) on loopback, driven by the same regbench binary in
# the same run. Prints one RESULT line per registry and scenario, one ratio (Portcullis / distribution) per scenario,
# and the peak RSS of each server while it serves 32 concurrent 64 MiB pulls. Bounded: ~5 minutes, stops by itself.
#
#   bench/registry.sh [OUT]          # OUT: where to append the raw lines (default: a temp file, path printed)
#
# Env: REGBENCH (path to shared/bench/regbench, default ../shared/bench/regbench of the checkout or a parent), BENCH_SECONDS (measured seconds
# per run, default 5), WARMUP_SECONDS (default 2), PORTCULLIS_JAVA_OPTS (extra JVM flags).
# Every scenario runs on a freshly started pair of registries with empty storage (as the baseline did); each
# registry gets an untimed warm-up run first (the JVM compiles its hot paths, distribution fills its caches).
# Portcullis runs with --dev (no authentication), like the reference config (no auth).
# Pulls run with -verify=false: regbench's Go 1.19 SHA-256 (~350 MB/s) would otherwise measure the client.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ -z "${REGBENCH:-}" ]; then # ../shared/bench/regbench from the checkout or one of its parents
  d=$ROOT
  while [ "$d" != / ] && [ ! -d "$d/../shared/bench/regbench" ]; do d=$(dirname "$d"); done
  REGBENCH=$(cd "$d/../shared/bench/regbench" 2>/dev/null && pwd || echo "$ROOT/../shared/bench/regbench")
fi
SECS=${BENCH_SECONDS:-5}
WARM=${WARMUP_SECONDS:-2}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[ -x "$JAVA" ] || JAVA=java
WORK=$(mktemp -d /tmp/portcullis-bench.XXXXXX)
OUT=${1:-$WORK/raw.txt}
PC_PID=""; DR_PID=""

cleanup() {
  for pid in $PC_PID $DR_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $PC_PID $DR_PID; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK/pc" "$WORK/dr"
}
trap cleanup EXIT

command -v docker-registry >/dev/null || { echo "registry.sh: docker-registry missing (apt-get install docker-registry)" >&2; exit 2; }
[ -x "$REGBENCH/run.sh" ] || { echo "registry.sh: regbench not found at $REGBENCH" >&2; exit 2; }
if [ ! -f cli/target/portcullis.jar ]; then
  ./mvnw -q -pl cli -am package -DskipTests
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { # url pid name
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$1/v2/" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "$3 exited; log:" >&2; cat "$WORK/$3.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "$3 did not start" >&2; exit 1
}

# The access log is off on both sides (the reference config disables distribution's).
cat >"$WORK/logback.xml" <<'XML'
<configuration>
  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d %-5level %logger{0} %msg %kvp%n%ex</pattern></encoder>
  </appender>
  <logger name="portcullis.access" level="WARN"/>
  <logger name="org.eclipse.jetty" level="WARN"/>
  <root level="INFO"><appender-ref ref="STDERR"/></root>
</configuration>
XML

start_pair() {
  cleanup
  mkdir -p "$WORK/pc" "$WORK/dr"
  PC_PORT=$(free_port); DR_PORT=$(free_port)
  # shellcheck disable=SC2086
  "$JAVA" ${PORTCULLIS_JAVA_OPTS:-} -Dlogback.configurationFile="$WORK/logback.xml" -jar cli/target/portcullis.jar \
      serve --dev --data "$WORK/pc" --listen "127.0.0.1:$PC_PORT" >"$WORK/portcullis.log" 2>&1 &
  PC_PID=$!
  sed -e "s#/tmp/regbench-registry/data#$WORK/dr#" -e "s#127.0.0.1:5000#127.0.0.1:$DR_PORT#" \
      "$REGBENCH/registry-config.yml" >"$WORK/registry-config.yml"
  docker-registry serve "$WORK/registry-config.yml" >"$WORK/distribution.log" 2>&1 &
  DR_PID=$!
  wait_up "http://127.0.0.1:$PC_PORT" "$PC_PID" portcullis
  wait_up "http://127.0.0.1:$DR_PORT" "$DR_PID" distribution
}

result() { # name port args... -> prints the RESULT line
  local name=$1 port=$2; shift 2
  "$REGBENCH/run.sh" -url "http://127.0.0.1:$port" -repo unscanned/bench/app -max-time 2m "$@" 2>&1 | grep '^RESULT' \
      | sed "s/^RESULT /RESULT registry=$name /"
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) portcullis=$(git rev-parse --short HEAD) distribution=$(dpkg-query -W -f='${Version}' docker-registry 2>/dev/null) java=$("$JAVA" -version 2>&1 | head -1)" | tee -a "$OUT"
printf '%-34s %12s %12s %7s\n' scenario portcullis distribution ratio
run_scenario() { # label metric regbench-args...
  local label=$1 metric=$2; shift 2
  start_pair
  result portcullis "$PC_PORT" "$@" -d "${WARM}s" >/dev/null || true
  result distribution "$DR_PORT" "$@" -d "${WARM}s" >/dev/null || true
  local pc dr
  pc=$(result portcullis "$PC_PORT" "$@" -d "${SECS}s"); echo "$pc" >>"$OUT"
  dr=$(result distribution "$DR_PORT" "$@" -d "${SECS}s"); echo "$dr" >>"$OUT"
  local a b
  a=$(echo "$pc" | field "$metric"); b=$(echo "$dr" | field "$metric")
  local ea eb
  ea=$(echo "$pc" | field errors); eb=$(echo "$dr" | field errors)
  printf '%-34s %12s %12s %7s%s\n' "$label ($metric)" "$a" "$b" \
      "$(python3 -c "print(f'{$a/$b:.2f}x' if $b else 'n/a')")" \
      "$([ "${ea:-0}" = 0 ] && [ "${eb:-0}" = 0 ] || echo "  errors: portcullis=$ea distribution=$eb")"
}

for size in 1MiB 64MiB; do
  for c in 1 8; do
    run_scenario "push-mono $size c=$c" mbps -scenario push-mono -size "$size" -c "$c"
    run_scenario "pull-blob $size c=$c" mbps -scenario pull-blob -size "$size" -c "$c" -verify=false
  done
done
run_scenario "manifest-get c=64" ops_s -scenario manifest-get -c 64
run_scenario "mixed 1MiB c=8" ops_s -scenario mixed -size 1MiB -c 8

# Peak resident memory of each server while 32 clients pull 64 MiB blobs at once.
peak_rss() { # pid -> KiB, sampled until the marker file disappears
  local max=0 v
  while [ -f "$WORK/sampling" ]; do
    v=$(awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0)
    [ "${v:-0}" -gt "$max" ] && max=$v
    sleep 0.1
  done
  echo "$max"
}
start_pair
for target in portcullis distribution; do
  if [ $target = portcullis ]; then port=$PC_PORT; pid=$PC_PID; else port=$DR_PORT; pid=$DR_PID; fi
  result $target "$port" -scenario pull-blob -size 64MiB -c 32 -pool 32 -verify=false -d "${WARM}s" >/dev/null || true
  touch "$WORK/sampling"
  peak_rss "$pid" >"$WORK/rss-$target" &
  sampler=$!
  line=$(result $target "$port" -scenario pull-blob -size 64MiB -c 32 -pool 32 -verify=false -d "${SECS}s")
  rm -f "$WORK/sampling"; wait "$sampler"
  rss=$(( $(cat "$WORK/rss-$target") / 1024 ))
  echo "$line peak_rss_mib=$rss" >>"$OUT"
  printf '%-34s %12s MiB peak RSS (%s MB/s, errors=%s)\n' "pull 64MiB c=32: $target" "$rss" \
      "$(echo "$line" | field mbps)" "$(echo "$line" | field errors)"
done
echo "raw results: $OUT"
# Logs stay only when the raw results were written into the work directory.
case "$OUT" in "$WORK"/*) ;; *) cleanup; rm -rf "$WORK" ;; esac
