#!/usr/bin/env bash
# Runs every test: unit tests, then the integration tests against the packaged jars
# (forked servlet containers with the real agent, a real collector process).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B verify "$@"
