#!/bin/sh
# The platform's secrets for a stack on one machine, random and made once, so that no value is known to
# anyone else (the services refuse the published placeholders):
#   make-secrets.sh dir <folder>        one file per secret, readable by the stack's containers: compose's
#                                       `secrets` volume, read through <NAME>_FILE (deploy/docker/entrypoint.sh)
#   make-secrets.sh env-file <file>     NAME=value lines, readable by the owner only: the kind overlay's
#                                       secretGenerator (scripts/kind-up.sh)
# A secret that exists is kept. A value set in the environment replaces it: that is how a deployment brings
# its own. Passwords go into postgresql:// URLs, so they hold letters, digits, '-' and '_' only.
set -eu

# JWT_SECRET, the Postgres superuser, and one login role per service (tools/infra/postgres.js, SERVICES).
NAMES="JWT_SECRET POSTGRES_PASSWORD SVC_CATALOG_PASSWORD SVC_ORDER_PASSWORD SVC_PAYMENT_PASSWORD SVC_DELIVERY_PASSWORD SVC_REVIEW_PASSWORD"

fail() {
  echo "make-secrets: $*" >&2
  exit 1
}

# 32 random bytes as 64 hex digits: a 256-bit HMAC key, and safe in a URL.
random_value() {
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
}

check() {
  case "$1" in
    JWT_SECRET) [ "${#2}" -ge 32 ] || fail "JWT_SECRET must be at least 32 characters" ;;
    *) case "$2" in *[!A-Za-z0-9_-]*) fail "$1 may hold letters, digits, '-' and '_' only" ;; esac ;;
  esac
}

[ $# -eq 2 ] || fail "usage: make-secrets.sh dir <folder> | env-file <file>"
mode="$1"
target="$2"
case "$mode" in
  dir)
    [ -d "$target" ] || mkdir -m 0755 "$target"
    for name in $NAMES; do
      given="$(printenv "$name" || true)"
      file="$target/$name"
      if [ -n "$given" ]; then
        check "$name" "$given"
        printf '%s' "$given" > "$file.new"
      elif [ ! -s "$file" ]; then
        random_value > "$file.new"
      else
        continue
      fi
      # Postgres (uid 999) and the apps (uid 1000) read these; the volume is mounted into this stack only.
      chmod 0444 "$file.new"
      mv "$file.new" "$file"
    done
    echo "make-secrets: secrets ready in $target"
    ;;
  env-file)
    umask 077
    touch "$target"
    next="$target.new"
    : > "$next"
    for name in $NAMES; do
      value="$(printenv "$name" || true)"
      [ -n "$value" ] || value="$(sed -n "s/^$name=//p" "$target" | tail -n 1)"
      [ -n "$value" ] || value="$(random_value)"
      check "$name" "$value"
      printf '%s=%s\n' "$name" "$value" >> "$next"
    done
    mv "$next" "$target"
    echo "make-secrets: secrets ready in $target"
    ;;
  *) fail "usage: make-secrets.sh dir <folder> | env-file <file>" ;;
esac
