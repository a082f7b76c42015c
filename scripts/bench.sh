#!/usr/bin/env bash
# Overhead, two modes.
#
# MODE=agent (the default): what the agent alone costs the application. A Jetty 12 servlet app pinned
# to CPU 0; wrk and a discard OTLP endpoint (answers 200, stores nothing) pinned to CPU 1; no agent,
# the OpenTelemetry Java agent and Lookout alternated round by round, every ratio paired with no agent
# in the same round. The harness is bench/agent-cost (the referee of ../shared/agent-cost-bench).
#
#   scripts/bench.sh                      # 3 rounds of none/otel/lookout, /hello /log /file /json: ~22 min
#   ROUNDS=1 DURATION_S=5 WARMUP_S=5 WARMUP_MAX_S=5 scripts/bench.sh   # smoke test, ~5 min
#   Knobs: ROUNDS, CONFIGS ("none otel lookout"), ENDPOINTS ("hello log file json": every endpoint
#   issue 15 sets a target for; the shared referee's default leaves /json out), and every knob of
#   bench/agent-cost/run.sh. Report: bench/agent-cost/results/compare-<time>.md
#
# MODE=collector: the bench app (Jetty 12, ee10) under wrk with no agent, with Lookout and with the
# OpenTelemetry Java agent 2.x, alternated A B C A B C … for ROUNDS rounds, both agents exporting to a
# real lookout-collector process over OTLP/HTTP protobuf: agent and collector cost together.
#
#   MODE=collector scripts/bench.sh       # ROUNDS=3, 10 s warm-up + 10 s measured per endpoint: ~17 min
#   MODE=collector ROUNDS=1 WARMUP=3 DURATION=3 scripts/bench.sh   # smoke test, ~2 min
#
# Other knobs (environment): ENDPOINTS=plain,log,exception,json,file  CONFIGS=none,lookout,otel
#   THREADS=2 CONNECTIONS=16 (wrk)  APP_JAVA=java  APP_JVM_OPTS=-Xmx1g  PIN=1 (app on CPU 0, wrk on CPU 1)
#   COLLECTOR_NICE=10  JFR=lookout (JFR profile of those configs' app runs, in bench/target/run)
#   SKIP_BUILD=1 (reuse the jars already built)
# Results: bench/results/overhead.{json,md,png}; raw logs in bench/target/run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq wrk
fi

if [ "${MODE:-agent}" = "agent" ]; then
  if [ "${SKIP_BUILD:-0}" != "1" ]; then
    mvn -B -q -DskipTests package -pl agent -am
  fi
  export CONFIGS="${CONFIGS:-none otel lookout}"
  export ENDPOINTS="${ENDPOINTS:-hello log file json}"
  export CONFIG_lookout="${CONFIG_lookout:--javaagent:$ROOT/agent/target/lookout-agent.jar -Dlookout.service.name=bench -Dlookout.collector.url=http://127.0.0.1:${SINK_PORT:-4318}}"
  exec bench/agent-cost/compare.sh "${ROUNDS:-3}"
fi

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  # -Pbench: the bench app jar, the tools jar and the OpenTelemetry agent (Maven Central) in bench/target
  mvn -B -q -Pbench -DskipTests package -pl bench -am
fi

exec java -Xmx2g -Djava.awt.headless=true -cp bench/target/lookout-bench.jar dev.lookout.bench.OverheadBench
