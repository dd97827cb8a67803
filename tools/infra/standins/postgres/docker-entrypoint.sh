#!/usr/bin/env bash
# Entrypoint of the postgres stand-in (see the Dockerfile beside it): the part of the official image's
# entrypoint that this platform and testcontainers rely on, for Debian's PostgreSQL packages.
#   POSTGRES_USER (default postgres), POSTGRES_PASSWORD, POSTGRES_DB (default: the user), each of them
#   also as <NAME>_FILE, a file that holds the value; POSTGRES_INITDB_ARGS; PGDATA.
# On an empty PGDATA: initdb, password authentication (scram-sha-256) for every TCP client, then a
# temporary server that listens on its socket only (so no health check passes early) runs
# /docker-entrypoint-initdb.d/*.sh (run when executable, else sourced) and *.sql, and stops.
# Started as root it fixes the ownership of its directories and starts again as postgres; the server
# is then PID 1 and gets the stop signal itself.
set -Eeuo pipefail

# NAME from NAME_FILE when NAME itself is empty; both at once is a mistake worth stopping for.
from_file() {
  local name="$1" default="${2:-}" file_var="${1}_FILE"
  if [ -n "${!name:-}" ] && [ -n "${!file_var:-}" ]; then
    echo "postgres: both $name and $file_var are set; set one of them" >&2
    exit 1
  fi
  local value="${!name:-}"
  if [ -n "${!file_var:-}" ]; then value="$(< "${!file_var}")"; fi
  export "$name"="${value:-$default}"
  unset "$file_var"
}

run_init_scripts() {
  local psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --no-password --dbname "$POSTGRES_DB")
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          echo "postgres: running $f"
          "$f"
        else
          echo "postgres: sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql)
        echo "postgres: running $f"
        "${psql[@]}" -f "$f"
        ;;
      *) if [ -e "$f" ]; then echo "postgres: ignoring $f"; fi ;;
    esac
  done
}

initialise() {
  if [ -z "$POSTGRES_PASSWORD" ]; then
    echo "postgres: the database is not initialised and POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) is empty" >&2
    exit 1
  fi
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments.
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") ${POSTGRES_INITDB_ARGS:-}
  printf '\nhost all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  export PGPASSWORD="$POSTGRES_PASSWORD"
  if [ "$POSTGRES_DB" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --no-password --dbname postgres \
      --set db="$POSTGRES_DB" <<< 'create database :"db";'
  fi
  run_init_scripts
  unset PGPASSWORD
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "postgres: initialised $PGDATA"
}

if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi

if [ "$1" = postgres ]; then
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    exec gosu postgres "${BASH_SOURCE[0]}" "$@"
  fi
  from_file POSTGRES_USER postgres
  from_file POSTGRES_PASSWORD
  from_file POSTGRES_DB "$POSTGRES_USER"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then initialise; fi
fi
exec "$@"
