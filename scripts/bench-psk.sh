#!/usr/bin/env bash
# What the TLS-PSK ingest channel costs against plain OTLP/HTTP: spans/s a real collector stores
# from the agent's export pipeline over each, alternated over ROUNDS (default 2, ~2 min).
# Knobs: ROUNDS, RATE (offered spans/s, 60000), WARMUP_SECONDS, MEASURE_SECONDS, SKIP_BUILD=1.
# Result: bench/results/psk.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  mvn -B -q -Pbench -DskipTests package -pl bench -am
fi
exec java -Xmx1g -cp bench/target/lookout-bench.jar dev.lookout.bench.PskChannelBench
