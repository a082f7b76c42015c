#!/usr/bin/env bash
# JMH benchmarks of the agent's hot paths, with allocation per operation (-prof gc: gc.alloc.rate.norm).
#
#   scripts/bench-jmh.sh                  # every benchmark in dev.lookout.bench.jmh, ~3 min
#   scripts/bench-jmh.sh ServerSpans      # a subset (regex), further JMH options after it
#
# Results: bench/results/jmh.json (JMH JSON) and bench/results/jmh.txt (the console report).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  mvn -B -q -Pbench -DskipTests package -pl bench -am
fi
mkdir -p bench/results
FILTER="${1:-dev.lookout.bench.jmh}"
shift || true
java -jar bench/target/lookout-bench.jar "$FILTER" -prof gc -rf json -rff bench/results/jmh.json "$@" \
  | tee bench/results/jmh.txt
