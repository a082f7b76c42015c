#!/usr/bin/env bash
# The embedded collector (lookout.embedded) against the agent exporting to a standalone collector, in one run.
# The bench app (bench/agent-cost/app, Jetty 12) pinned to CPU 0; wrk and the standalone collector on CPU 1.
# Alternated per round: "standalone" (agent -> collector process over OTLP/HTTP) and "embedded" (collector
# inside the app JVM, fed in process). Per run: startup to the first 200 on /hello, req/s and app CPU per
# request on /hello, RSS. Then, embedded only: the app's RSS and heap after a full GC once the store holds
# STORED requests, against the agent alone (standalone) after as many requests.
#
#   scripts/bench-embedded.sh                       # ROUNDS=2, 15 s warm-up + 15 s measured, STORED=1000000
#   ROUNDS=1 WARM=5 DUR=5 STORED=100000 scripts/bench-embedded.sh   # smoke test
# Results: bench/results/embedded.md
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
ROUNDS=${ROUNDS:-2}; WARM=${WARM:-15}; DUR=${DUR:-15}; STORED=${STORED:-1000000}
APP_PORT=${APP_PORT:-18180}; UI_PORT=${UI_PORT:-17170}; OTLP_PORT=${OTLP_PORT:-14418}; SA_UI=${SA_UI:-17171}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  mvn -B -q -DskipTests package -pl agent,collector -am
  (cd bench/agent-cost/app && mvn -q -B package)
fi
AGENT="$ROOT/agent/target/lookout-agent.jar"; COLLECTOR="$ROOT/collector/target/lookout-collector.jar"
APP="$ROOT/bench/agent-cost/app/target/bench-app.jar"; DATA_FILE="$ROOT/bench/agent-cost/data/file-1m.bin"
WORK=$(mktemp -d /tmp/lookout-bench-embedded.XXXX); OUT="$ROOT/bench/results/embedded.md"
trap 'pkill -f "$WORK" 2>/dev/null || true' EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
await_200() { for _ in $(seq 1 1200); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0; sleep 0.05; done; return 1; }

# The standalone collector on CPU 1, for the "standalone" runs.
taskset -c 1 java -jar "$COLLECTOR" --no-auth --port "$SA_UI" --otlp-port "$OTLP_PORT" --otlp-grpc-port off \
  --max-db-size 64GB --data-dir "$WORK/standalone" >"$WORK/collector.out" 2>&1 &
await_200 "http://127.0.0.1:$SA_UI/healthz"

start_app() { # label -> APP_PID, STARTUP_MS
  local label=$1 args
  if [ "$label" = embedded ]; then
    args=(-javaagent:"$AGENT" -Dlookout.service.name=bench -Dlookout.embedded="$COLLECTOR"
      -Dlookout.embedded.port="$UI_PORT" -Dlookout.embedded.data.dir="$WORK/embedded-$RANDOM" "-Dlookout.embedded.options=--no-auth --max-db-size 64GB")
  else
    args=(-javaagent:"$AGENT" -Dlookout.service.name=bench -Dlookout.collector.url="http://127.0.0.1:$OTLP_PORT")
  fi
  local t0; t0=$(date +%s%N)
  taskset -c 0 java "${args[@]}" -Dport="$APP_PORT" -Dbench.logdir="$WORK/logs" -Dbench.file="$DATA_FILE" \
    -jar "$APP" >"$WORK/app-$label.out" 2>&1 &
  APP_PID=$!
  await_200 "http://127.0.0.1:$APP_PORT/hello"
  STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

stop_app() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; }

{
  echo "# Embedded collector vs agent + standalone collector ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, JDK $(java -version 2>&1 | head -1 | cut -d'"' -f2))"
  echo
  echo "App (Jetty 12) on CPU 0; wrk -t2 -c16 and the standalone collector on CPU 1. /hello, ${WARM} s warm-up, ${DUR} s measured."
  echo
  echo "| round | mode | startup to first 200 (ms) | req/s | app CPU per request (µs) | RSS (MiB) |"
  echo "| --- | --- | --- | --- | --- | --- |"
} >"$OUT.tmp"
for r in $(seq 1 "$ROUNDS"); do
  for label in standalone embedded; do
    start_app "$label"
    taskset -c 1 wrk -t2 -c16 -d"${WARM}s" "http://127.0.0.1:$APP_PORT/hello" >/dev/null
    c0=$(cpu_ticks "$APP_PID")
    res=$(taskset -c 1 wrk -t2 -c16 -d"${DUR}s" "http://127.0.0.1:$APP_PORT/hello")
    c1=$(cpu_ticks "$APP_PID")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$res"); n=$(awk '/requests in/ {print $1}' <<<"$res")
    cpu=$(awk -v a="$c0" -v b="$c1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b - a) / hz * 1e6 / n}')
    echo "| $r | $label | $STARTUP_MS | $rps | $cpu | $(rss_mib "$APP_PID") |" | tee -a "$OUT.tmp"
    stop_app
  done
done

stored() { # requests in the store of the collector at $1 (capped at 64GB: none deleted meanwhile)
  curl -s "$1/api/stats" | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["rows"]["requests"])
except Exception: print(0)'
}
memory_after() { # label base-url -> "rss heap" once the store at base-url holds STORED more requests
  local label=$1 base=$2 before
  start_app "$label"
  before=$(stored "$base")
  while [ $(( $(stored "$base") - before )) -lt "$STORED" ]; do
    taskset -c 1 wrk -t2 -c16 -d10s "http://127.0.0.1:$APP_PORT/hello" >/dev/null
  done
  jcmd "$APP_PID" GC.run >/dev/null
  # S0U + S1U + EU + OU (KiB), whichever collector the JVM chose (Serial on one CPU)
  local heap; heap=$(jstat -gc "$APP_PID" | awk 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i}
    NR == 2 {printf "%d", ($col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]) / 1024}')
  echo "$(rss_mib "$APP_PID") $heap"
  stop_app
}
read -r sa_rss sa_heap <<<"$(memory_after standalone "http://127.0.0.1:$SA_UI")"
read -r em_rss em_heap <<<"$(memory_after embedded "http://127.0.0.1:$UI_PORT")"
{
  echo
  echo "After $STORED requests stored (heap used after a full GC):"
  echo
  echo "| mode | RSS (MiB) | heap used (MiB) |"
  echo "| --- | --- | --- |"
  echo "| agent + standalone collector | $sa_rss | $sa_heap |"
  echo "| embedded | $em_rss | $em_heap |"
  echo "| added by embedding | $((em_rss - sa_rss)) | $((em_heap - sa_heap)) |"
} | tee -a "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT"
