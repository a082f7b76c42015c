#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: a fresh cluster in a temporary directory, owned by the
# postgres user (the server refuses to run as root), on a free loopback port with a private socket
# directory, so that parallel runs on one machine never meet.
#
#   eval "$(scripts/postgres-test.sh start)"   # exports LOOKOUT_TEST_POSTGRES and LOOKOUT_TEST_POSTGRES_DIR
#   scripts/postgres-test.sh stop "$LOOKOUT_TEST_POSTGRES_DIR"
#
# start prints only the export lines on stdout; progress goes to stderr.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
BIN="/usr/lib/postgresql/$PG_VERSION/bin"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install_when_missing() {
  if [ ! -x "$BIN/pg_ctl" ]; then
    echo "postgres-test: installing the Debian package postgresql" >&2
    apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  fi
  [ -x "$BIN/pg_ctl" ] || { echo "postgres-test: no $BIN/pg_ctl after installing postgresql" >&2; exit 1; }
}

start() {
  install_when_missing
  local dir
  dir="$(mktemp -d /tmp/lookout-pg.XXXXXX)"
  mkdir -p "$dir/data" "$dir/socket"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
  chmod 700 "$dir"
  # trust on loopback only: a test cluster that lives as long as one test run
  as_postgres "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  local port started=0
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if as_postgres "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c max_connections=200" >/dev/null 2>&1; then
      started=1
      break
    fi
  done
  if [ "$started" != 1 ]; then
    echo "postgres-test: the server did not start; its log:" >&2
    cat "$dir/server.log" >&2
    exit 1
  fi
  as_postgres "$BIN/createdb" -h "$dir/socket" -p "$port" -U postgres lookout
  echo "postgres-test: PostgreSQL $PG_VERSION on 127.0.0.1:$port (data in $dir)" >&2
  echo "export LOOKOUT_TEST_POSTGRES='postgresql://127.0.0.1:$port/lookout?user=postgres'"
  echo "export LOOKOUT_TEST_POSTGRES_DIR='$dir'"
}

stop() {
  local dir="${1:-${LOOKOUT_TEST_POSTGRES_DIR:-}}"
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "postgres-test: nothing to stop (give the directory start printed)" >&2
    return 0
  fi
  as_postgres "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [DIR]" >&2; exit 2 ;;
esac
