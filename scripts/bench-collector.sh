#!/usr/bin/env bash
# Collector ingest and query benchmark: a real lookout-collector process (retention on), OTLP/HTTP
# protobuf batches of 512 spans and then 512 log records from a JVM load generator; at 1,000,000
# stored requests and logs, and again at ROWS when larger, /api/requests filters and /api/logs
# searches are timed (p50/p95/p99). Ingest is reported as spans/s and logs/s with the collector's
# CPU per record.
#
#   scripts/bench-collector.sh                  # ROWS=1000000, ~3-5 min
#   ROWS=5000000 scripts/bench-collector.sh     # checkpoints at 1M and 5M, ~15-25 min
#
#   ROWS=1000000 SEED_ROWS=4000000 scripts/bench-collector.sh   # 4M rows written straight into SQLite
#     first (older, same distributions), then 1M ingested: queries at 5M in a fraction of the time
#
# Knobs: ROWS, SEED_ROWS, CHECKPOINTS=1000000,5000000, SENDERS=8 (concurrent exporters, as from 8 agents), BATCH=512, QUERY_REPEAT=30, LOGS=0 (spans only),
# RETENTION=7d, MAX_DB_SIZE=64GB (the cap must hold ROWS), COLLECTOR_JVM_OPTS (e.g. a JFR recording),
# QUERY_DURING_INGEST=500000 (the last size's queries timed again while that many more spans are ingested),
# PRE_ENCODED=0 (the load generator builds every body anew instead of patching pre-encoded ones),
# KEEP_DB=1, SKIP_BUILD=1, DB=postgresql://host:port/db?user=… (the collector's --db: PostgreSQL instead of SQLite;
# an empty database; not with SEED_ROWS).
# Results: bench/results/collector.{json,md}.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  mvn -B -q -Pbench -DskipTests package -pl bench -am
fi
exec java -Xmx2g -cp bench/target/lookout-bench.jar dev.lookout.bench.CollectorBench
