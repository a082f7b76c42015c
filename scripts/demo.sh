#!/usr/bin/env bash
# Builds Lookout, starts the collector, starts the Jetty sample app with the agent attached,
# sends it traffic and prints the UI's address. Ctrl-C stops everything it started.
#   UI_PORT (7070), OTLP_PORT (4318), APP_PORT (8080), DEMO_SECONDS (traffic duration, 1800)
set -euo pipefail
cd "$(dirname "$0")/.."

UI_PORT=${UI_PORT:-7070}
OTLP_PORT=${OTLP_PORT:-4318}
APP_PORT=${APP_PORT:-8080}
DEMO_SECONDS=${DEMO_SECONDS:-1800}
RUN_DIR=${RUN_DIR:-target/demo}

mvn -B -q package -DskipTests
mkdir -p "$RUN_DIR"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

java -jar collector/target/lookout-collector.jar --no-auth --port "$UI_PORT" --otlp-port "$OTLP_PORT" \
  --data-dir "$RUN_DIR/lookout-data" > "$RUN_DIR/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$UI_PORT/healthz" > /dev/null && break; sleep 0.2; done

java -javaagent:agent/target/lookout-agent.jar="collector.url=http://127.0.0.1:$OTLP_PORT;service.name=demo-shop" \
  -jar integration-tests/target/lookout-sample-jetty.jar "$APP_PORT" > "$RUN_DIR/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q LISTENING "$RUN_DIR/app.log" && break; sleep 0.2; done

echo
echo "Lookout UI:  http://127.0.0.1:$UI_PORT/"
echo "Sample app:  http://127.0.0.1:$APP_PORT/hello  (logs in $RUN_DIR)"
echo "Sending traffic for ${DEMO_SECONDS}s; Ctrl-C stops the collector and the app."

# The sample serves one file four ways: the Zero-copy view shows each verdict (zero-copy, fallback,
# candidate) with its reason from the first run, each row linking to an example request.
for p in /files/zero-copy /files/stream /files/copy-loop /static/report.bin; do
  curl -s -o /dev/null "http://127.0.0.1:$APP_PORT$p" || true
done

paths=(/hello /hello /api/items/1 /api/items/2 /status/404 /status/302 /boom "/hello?user=ada" "/log?n=3"
  /api/reports/monthly /files/zero-copy /files/stream /files/copy-loop /static/report.bin)
end=$((SECONDS + DEMO_SECONDS))
while [ $SECONDS -lt $end ]; do
  p=${paths[$((RANDOM % ${#paths[@]}))]}
  curl -s -o /dev/null "http://127.0.0.1:$APP_PORT$p" || true
  sleep 0.$((RANDOM % 5 + 1))
done
echo "Traffic finished; the collector stays up until Ctrl-C."
wait
