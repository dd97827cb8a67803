#!/bin/sh
# The entrypoint of every app's image (Dockerfile); each image holds one app.
#   serve <app>          runs the app
#   migrate <service>    applies a data-owning service's SQL migrations (libs/<service>/data-access/prisma/migrations)
#   demo-catalog <url>   the storefront's image: loads the demo catalog into an empty shop through the gateway at
#                        <url> (SHOP_DEMO_CATALOG=0: off)
# Secrets may come as files, the convention of the official images: <NAME>_FILE names a file holding
# <NAME>, read only when <NAME> itself is empty, so a value given in the environment wins. A
# DATABASE_PASSWORD goes into DATABASE_URL when the URL carries none, so that manifests name the user and
# host in plain text and keep the password in a secret.
set -eu

fail() {
  echo "entrypoint: $*" >&2
  exit 2
}

for name in $(env | sed -n 's/^\([A-Z][A-Z0-9_]*\)_FILE=.*$/\1/p'); do
  file="$(printenv "${name}_FILE")"
  if [ -z "$(printenv "$name" || true)" ]; then
    [ -r "$file" ] || fail "${name}_FILE: cannot read $file"
    export "$name=$(cat "$file")"
  fi
  unset "${name}_FILE"
done

if [ -n "${DATABASE_PASSWORD:-}" ] && [ -n "${DATABASE_URL:-}" ]; then
  case "$DATABASE_PASSWORD" in
    *[!A-Za-z0-9_-]*) fail "DATABASE_PASSWORD may hold letters, digits, '-' and '_' only: it goes into a URL" ;;
  esac
  scheme="${DATABASE_URL%%://*}"
  rest="${DATABASE_URL#*://}"
  case "${rest%%@*}" in
    *:*) ;; # the URL has its own password
    *) export DATABASE_URL="$scheme://${rest%%@*}:$DATABASE_PASSWORD@${rest#*@}" ;;
  esac
fi
unset DATABASE_PASSWORD

# The image's version (VERSION, tools/build/app-package.ts) on the app's traces and metrics, unless the
# deployment names one: OpenTelemetry's resource attributes, which the apps' metrics read too.
if [ -r VERSION ]; then
  case ",${OTEL_RESOURCE_ATTRIBUTES:-}" in
    *,service.version=*) ;;
    *)
      version="$(cat VERSION)"
      export OTEL_RESOURCE_ATTRIBUTES="${OTEL_RESOURCE_ATTRIBUTES:+$OTEL_RESOURCE_ATTRIBUTES,}service.version=$version"
      ;;
  esac
fi

usage="usage: serve <app> | migrate <service> | demo-catalog <gateway-url>"
[ $# -eq 2 ] || fail "$usage"
case "$1" in
  serve)
    [ -f "dist/apps/$2/src/main.js" ] || fail "no app $2 in this image"
    # tools/apps.ts NODE_ARGS, the options every app runs with
    exec node --enable-source-maps --max-semi-space-size=8 "dist/apps/$2/src/main.js"
    ;;
  migrate)
    [ -d "libs/$2/data-access/prisma/migrations" ] || fail "no migrations for $2 in this image"
    exec node --enable-source-maps dist/libs/platform/database/src/migrate.cli.js "libs/$2/data-access/prisma/migrations"
    ;;
  demo-catalog)
    exec node --enable-source-maps dist/apps/storefront/src/demo/demo-catalog.main.js "$2"
    ;;
  *) fail "$usage" ;;
esac
