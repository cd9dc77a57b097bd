#!/usr/bin/env bash
# Run a command with the services Accord's tests need, started here and stopped afterwards:
#   a throwaway PostgreSQL server on 127.0.0.1 (Debian's postgresql package, installed if missing),
#   and Debian's Chromium for the browser tests (installed if missing; Playwright drives it, it never
#   downloads a browser of its own).
# Exported for the command: ACCORD_TEST_PG_URL (SQLAlchemy URL) and ACCORD_TEST_CHROMIUM (browser path).
# Usage: scripts/with-services.sh COMMAND [ARGS...]
set -euo pipefail

log() { echo "[services] $*" >&2; }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/postgres" ] && echo "$dir"
}

install_postgres() {
  if [ -n "$(pg_bin)" ]; then return 0; fi
  log "installing PostgreSQL (Debian package postgresql)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  [ -n "$(pg_bin)" ] || { log "PostgreSQL did not install"; return 1; }
}

install_chromium() {
  if [ -x /usr/bin/chromium ]; then export ACCORD_TEST_CHROMIUM=/usr/bin/chromium; return 0; fi
  log "installing Chromium (Debian package chromium)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  [ -x /usr/bin/chromium ] || { log "Chromium did not install"; return 1; }
  export ACCORD_TEST_CHROMIUM=/usr/bin/chromium
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

PG_DIR=""
PG_USER_CMD=()
stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
    "${PG_USER_CMD[@]}" "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    log "PostgreSQL stopped"
  fi
}

start_postgres() {
  install_postgres
  local bin port
  bin=$(pg_bin)
  port=$(free_port)
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/accord-pg.XXXXXX")
  chmod 755 "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root: run it as the postgres user the package creates.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
    PG_USER_CMD=(runuser -u postgres --)
  else
    PG_USER_CMD=(env)
  fi
  "${PG_USER_CMD[@]}" "$bin/initdb" -D "$PG_DIR/data" -U accord -A trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  "${PG_USER_CMD[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c full_page_writes=off" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  "${PG_USER_CMD[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U accord accord
  export ACCORD_TEST_PG_URL="postgresql+psycopg://accord@127.0.0.1:$port/accord"
  log "PostgreSQL ready at 127.0.0.1:$port"
}

trap stop_postgres EXIT
trap 'exit 130' INT TERM
start_postgres
install_chromium
set +e
"$@"
rc=$?
set -e
exit $rc
