#!/usr/bin/env bash
# Overhead and throughput, side by side: the bench app (Jetty 12, ee10) under wrk with no agent, with
# Lookout and with the OpenTelemetry Java agent 2.x, alternated A B C A B C … for ROUNDS rounds. Both
# agents export to a real lookout-collector process over OTLP/HTTP protobuf.
#
#   scripts/bench.sh                      # ROUNDS=3, 10 s warm-up + 10 s measured per endpoint: ~17 min
#   ROUNDS=2 scripts/bench.sh             # ~12 min
#   ROUNDS=1 WARMUP=3 DURATION=3 scripts/bench.sh   # smoke test, ~2 min
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

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  # -Pbench: the bench app jar, the tools jar and the OpenTelemetry agent (Maven Central) in bench/target
  mvn -B -q -Pbench -DskipTests package -pl bench -am
fi

exec java -Xmx2g -Djava.awt.headless=true -cp bench/target/lookout-bench.jar dev.lookout.bench.OverheadBench
