#!/usr/bin/env bash
# Runs every test: unit tests, then the integration tests against the packaged jars
# (forked servlet containers with the real agent, a real collector process). The tests of the
# PostgreSQL store start their own throwaway server from a Maven artifact (embedded-postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
# The Selenium UI tests need Debian's Chromium and its driver; install them once when missing.
command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium chromium-driver)
# IoZeroCopyIT checks Lookout's zero-copy figures against the kernel's sendfile/copy_file_range calls
# as strace records them, and fails without it; install it once when missing.
command -v strace >/dev/null || (apt-get update && apt-get install -y strace)
mvn -B verify "$@"
