#!/bin/sh
# The platform's secrets for a stack on one machine, random and made once, so that no value is known to
# anyone else (the services refuse the published placeholders):
#   make-secrets.sh dir <folder> [<share>=<NAME>,... ...]
#                                       one file per secret in <folder> (compose's `secrets` volume), then each
#                                       share folder gets only the secrets named for it and nothing else: a
#                                       volume per reader, so each container holds what it reads (through
#                                       <NAME>_FILE, deploy/docker/entrypoint.sh) and no more
#   make-secrets.sh env-file <file>     NAME=value lines, readable by the owner only: what the Kubernetes Job
#                                       makes the cluster's Secret from (deploy/secrets/k8s-secret.js)
# A secret that exists is kept. A value set in the environment replaces it: that is how a deployment brings
# its own. Passwords go into postgresql:// URLs, so they hold letters, digits, '-' and '_' only.
set -eu

# JWT_SECRET, the Postgres superuser, and one login role per service (tools/infra/postgres.ts, SERVICES).
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

usage="usage: make-secrets.sh dir <folder> [<share>=<NAME>,...] | env-file <file>"
[ $# -ge 2 ] || fail "$usage"
mode="$1"
target="$2"
shift 2
[ "$mode" = dir ] || [ $# -eq 0 ] || fail "$usage"

# Writes a secret's file, readable by every reader of its volume: Postgres (uid 999), the apps (uid 1000).
put() {
  printf '%s' "$2" > "$1.new"
  chmod 0444 "$1.new"
  mv "$1.new" "$1"
}

case "$mode" in
  dir)
    for share in "$@"; do
      case "$share" in *=?*) ;; *) fail "a share is <folder>=<NAME>[,<NAME>...], not $share" ;; esac
      for name in $(printf '%s' "${share#*=}" | tr ',' ' '); do
        case " $NAMES " in *" $name "*) ;; *) fail "$name is no secret this script makes ($NAMES)" ;; esac
      done
    done
    [ -d "$target" ] || mkdir -m 0755 "$target"
    for name in $NAMES; do
      given="$(printenv "$name" || true)"
      file="$target/$name"
      if [ -n "$given" ]; then
        check "$name" "$given"
        put "$file" "$given"
      elif [ ! -s "$file" ]; then
        put "$file" "$(random_value)"
      fi
    done
    for share in "$@"; do
      folder="${share%%=*}"
      names="$(printf '%s' "${share#*=}" | tr ',' ' ')"
      [ -d "$folder" ] || mkdir -m 0755 "$folder"
      for name in $names; do
        put "$folder/$name" "$(cat "$target/$name")"
      done
      # Whatever an earlier layout left there that is no longer this reader's.
      for file in "$folder"/*; do
        [ -e "$file" ] || continue
        case " $names " in *" ${file##*/} "*) ;; *) rm -f "$file" ;; esac
      done
    done
    echo "make-secrets: secrets ready in $target${1:+, and in $# folders, one per reader}"
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
  *) fail "$usage" ;;
esac
