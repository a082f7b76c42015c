#!/usr/bin/env bash
# Soak: LoadIT's load (50 simulated OTLP/protobuf agents, ~2000 spans/s, retention churning under
# --max-rows requests=20000 and --max-db-size 12MB, collector heap capped at 256 MB) for a long
# time instead of the CI minute. Every ~30 s it prints ingest rate, stored rows, retention
# deletions, DB size, collector heap (used, from its /metrics; live after a full GC, via jcmd)
# and RSS (/proc);
# at the end a verdict: file under cap, heap flat, every acknowledged span accounted for.
#
#   scripts/soak.sh                  # 30 minutes
#   DURATION=7200 scripts/soak.sh    # seconds
#   REPORT=60 scripts/soak.sh        # seconds between report lines
#
# Not part of `mvn verify`: CI runs the same test for 60 s.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-1800}"
REPORT="${REPORT:-30}"
LOG="integration-tests/target/it-logs/load-report.txt"
mkdir -p "$(dirname "$LOG")"
: > "$LOG"
tail -n +1 -F "$LOG" 2>/dev/null &
TAIL=$!
trap 'kill "$TAIL" 2>/dev/null || true' EXIT
set +e
mvn -B -q verify -pl integration-tests -am -Dit.test=LoadIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlookout.load.seconds="$DURATION" -Dlookout.load.reportSeconds="$REPORT" \
  -Dfailsafe.timeout=$((DURATION + 600)) > integration-tests/target/soak-maven.log 2>&1
STATUS=$?
set -e
sleep 1
if [ "$STATUS" -eq 0 ]; then
  echo "soak: PASSED (${DURATION}s). Maven log: integration-tests/target/soak-maven.log"
else
  echo "soak: FAILED (exit $STATUS). See integration-tests/target/soak-maven.log and"
  echo "      integration-tests/target/failsafe-reports/dev.lookout.it.LoadIT-output.txt"
  grep -h -A3 "FAILURE\|AssertionError\|expected" integration-tests/target/failsafe-reports/*LoadIT*.txt 2>/dev/null | head -20 || true
fi
exit "$STATUS"
