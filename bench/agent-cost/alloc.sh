#!/usr/bin/env bash
# Bytes allocated per request by the application's request threads, per agent configuration: what an
# agent makes the container allocate, which JMH (calling the agent's entry points) cannot see. JFR's
# per-thread counters (jdk.ThreadAllocationStatistics) at the start and the end of a measured window,
# summed over Jetty's request threads ("http-*"), divided by the requests served in it. The app is
# pinned to CPU 0, wrk and the discard OTLP sink to CPU 1, as in run.sh.
#
#   bench/agent-cost/alloc.sh         # none and lookout (agent/target/lookout-agent.jar), /hello and /log: ~3 min
#
# Environment: CONFIGS ["none lookout"], CONFIG_<label> (JVM args; lookout's default below), ENDPOINTS
# ["hello log"], ROUNDS [2], WARMUP_S [20], DURATION_S [10], SINK_PORT [14318], APP_PORT [18080].
# Runs differ by up to ~50 B per request; a difference between configurations above that is the agent's.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)
CONFIGS=${CONFIGS:-"none lookout"}
ENDPOINTS=${ENDPOINTS:-"hello log"}
ROUNDS=${ROUNDS:-2}
WARMUP_S=${WARMUP_S:-20}
DURATION_S=${DURATION_S:-10}
SINK_PORT=${SINK_PORT:-14318}
APP_PORT=${APP_PORT:-18080}
CONFIG_none=${CONFIG_none:-}
CONFIG_lookout=${CONFIG_lookout:-"-javaagent:$ROOT/agent/target/lookout-agent.jar -Dlookout.service.name=bench -Dlookout.collector.url=http://127.0.0.1:$SINK_PORT"}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ -f "$BENCH_DIR/app/target/bench-app.jar" ] || (cd "$BENCH_DIR/app" && mvn -q -B package >&2)
[ -f "$BENCH_DIR/sink/target/bench-sink.jar" ] || (cd "$BENCH_DIR/sink" && mvn -q -B package >&2)
cat > "$WORK/alloc.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
</configuration>
JFC

taskset -c 1 java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dport="$SINK_PORT" \
  -jar "$BENCH_DIR/sink/target/bench-sink.jar" >"$WORK/sink.out" 2>&1 &

one() { # label endpoint -> "label endpoint requests bytes_per_request"
  local label=$1 ep=$2 var="CONFIG_$1"
  # shellcheck disable=SC2086
  taskset -c 0 java -Xms512m -Xmx512m -XX:+UseG1GC ${!var} -Dport="$APP_PORT" -Dbench.logdir="$WORK/logs" \
    -Dbench.file="$WORK/f.bin" -jar "$BENCH_DIR/app/target/bench-app.jar" >"$WORK/app.out" 2>&1 &
  local app=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$APP_PORT/hello")" = 200 ]; do sleep 0.05; done
  taskset -c 1 wrk -t2 -c16 -d"${WARMUP_S}s" "http://127.0.0.1:$APP_PORT/$ep" >/dev/null
  jcmd "$app" JFR.start name=alloc settings="$WORK/alloc.jfc" >/dev/null
  sleep 1
  local n
  n=$(taskset -c 1 wrk -t2 -c16 -d"${DURATION_S}s" "http://127.0.0.1:$APP_PORT/$ep" | awk '/requests in/{print $1}')
  sleep 1
  jcmd "$app" JFR.dump name=alloc filename="$WORK/alloc.jfr" >/dev/null
  kill "$app"; wait "$app" 2>/dev/null || true
  jfr print --events jdk.ThreadAllocationStatistics "$WORK/alloc.jfr" | python3 -c '
import re, sys
label, ep, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
unit = {"byte": 1, "bytes": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}
first, last = {}, {}
for event in sys.stdin.read().split("jdk.ThreadAllocationStatistics")[1:]:
    a = re.search(r"allocated = ([\d.]+) (\w+)", event)
    t = re.search(r"thread = \"([^\"]+)\"", event)
    if a and t and t.group(1).startswith("http-"):
        v = float(a.group(1)) * unit[a.group(2)]
        first.setdefault(t.group(1), v)
        last[t.group(1)] = v
total = sum(last[k] - first[k] for k in last)
print(f"{label} /{ep} {n} {total / n:.0f}")
' "$label" "$ep" "$n"
}

results=$WORK/results
for ((r = 1; r <= ROUNDS; r++)); do
  for ep in $ENDPOINTS; do
    for c in $CONFIGS; do one "$c" "$ep" | tee -a "$results" >&2; done
  done
done
python3 - "$results" "$CONFIGS" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    label, ep, n, b = line.split()
    rows[(ep, label)].append(int(b))
configs = sys.argv[2].split()
print("| endpoint | " + " | ".join(configs) + " |")
print("| --- |" + " --- |" * len(configs))
for ep in sorted({ep for ep, _ in rows}):
    base = statistics.median(rows[(ep, configs[0])])
    cells = []
    for c in configs:
        m = statistics.median(rows[(ep, c)])
        cells.append(f"{m:.0f} B" + ("" if c == configs[0] else f" ({m - base:+.0f})"))
    print(f"| {ep} | " + " | ".join(cells) + " |")
PY
