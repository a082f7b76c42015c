#!/usr/bin/env bash
# Socket-heavy throughput of the plain NIO sample without and with the agent (wrk), and the
# strace cross-check of direct transfers. One command, after `mvn -B package -DskipTests`:
#   scripts/bench-io.sh [seconds per run, default 10] [JDK home, default: java on PATH]
# Each request is a fresh connection (the sample answers Connection: close): accept, request read,
# a 16 KiB file sent by transferTo (/transfer) or a heap copy loop (/copy), close.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
JAVA=${2:+$2/bin/}java
AGENT=agent/target/lookout-agent.jar
APP=integration-tests/target/lookout-sample-nio.jar
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk"; exit 1; }
[ -f "$AGENT" ] && [ -f "$APP" ] || { echo "build first: mvn -B package -DskipTests"; exit 1; }
OUT=$(mktemp -d)

start_app() { # $1: extra JVM args
  # shellcheck disable=SC2086
  $JAVA $1 -Dfile.size=16384 -jar "$APP" 0 > "$OUT/app.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 200); do grep -q '^LISTENING ' "$OUT/app.log" && break; sleep 0.05; done
  PORT=$(awk '/^LISTENING /{print $2}' "$OUT/app.log")
  sleep 2
}
stop_app() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; }
rate() { wrk -t2 -c16 -d"${SECS}s" "http://127.0.0.1:$PORT$1" | awk '/Requests\/sec/{print $2}'; }

# The agent exports to a collector port nobody listens on: the cost measured is recording, not storing.
for round in 1 2; do
  for mode in none agent; do
    extra=""
    [ "$mode" = agent ] && extra="-javaagent:$AGENT=collector.url=http://127.0.0.1:9;service.name=bench-io"
    start_app "$extra"
    rate /transfer >/dev/null   # warm-up
    t=$(rate /transfer); c=$(rate /copy)
    stop_app
    echo "round $round $mode: /transfer $t req/s, /copy $c req/s"
  done
done

if command -v strace >/dev/null; then
  set +o pipefail
  start_app "-javaagent:$AGENT=collector.url=http://127.0.0.1:9;service.name=bench-io;io.flush.ms=500 -Dlookout.io.debug=true"
  TASKS=$(ls /proc/$APP_PID/task | sed 's/^/-p /')
  # shellcheck disable=SC2086
  strace -f -qq -e trace=sendfile,copy_file_range -o "$OUT/strace.log" $TASKS 2>/dev/null & ST=$!
  sleep 1.5
  for _ in $(seq 1 20); do curl -s -o /dev/null "http://127.0.0.1:$PORT/transfer"; curl -s -o /dev/null "http://127.0.0.1:$PORT/copy"; done
  curl -s -o /dev/null "http://127.0.0.1:$PORT/file-copy"
  sleep 1.5; kill $ST 2>/dev/null || true; wait $ST 2>/dev/null || true; sleep 1; stop_app
  kernel=$(grep -oE '(sendfile|copy_file_range).*= [0-9]+$' "$OUT/strace.log" | awk '$NF>0{s+=$NF} END{print s+0}')
  calls=$(grep -oE '(sendfile|copy_file_range).*= [0-9]+$' "$OUT/strace.log" | awk '$NF>0{n++} END{print n+0}')
  failed=$(grep -cE '(sendfile|copy_file_range).*= -1' "$OUT/strace.log" || true)
  lookout=$(grep -oE 'zero=[0-9]+' "$OUT/app.log" | awk -F= '{s+=$2} END{print s+0}')
  echo "strace: $calls successful direct calls moved $kernel bytes ($failed failed attempts); Lookout reported $lookout zero-copy bytes"
fi
rm -rf "$OUT"
