#!/usr/bin/env bash
# Collector ingest and query benchmark: a real lookout-collector process, OTLP/HTTP protobuf batches
# of 512 spans from a JVM load generator until ROWS spans are stored, then /api/requests filtered
# pages timed at that size.
#
#   scripts/bench-collector.sh            # ROWS=1000000, ~1-3 min
#   ROWS=5000000 scripts/bench-collector.sh
#
# Knobs: ROWS, SENDERS=2, BATCH=512, QUERY_REPEAT=30, KEEP_DB=1, SKIP_BUILD=1.
# Results: bench/results/collector.{json,md}.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  mvn -B -q -Pbench -DskipTests package -pl bench -am
fi
exec java -Xmx2g -cp bench/target/lookout-bench.jar dev.lookout.bench.CollectorBench
