#!/bin/sh
# Runs one of the workspace's tools, written in TypeScript under tools/:
#   sh tools/run.sh start            (node dist/tools/start.js)
#   sh tools/run.sh infra/index up   (node dist/tools/infra/index.js up)
#   sh tools/run.sh --compile        (only what comes before: dependencies and the compiled tools)
# The one step before Node: on a fresh clone it installs the locked dependencies
# (npm ci) when node_modules is missing or older than package-lock.json, then
# compiles the tools with the workspace's swc (.swcrc) into dist/tools when a
# source is newer than the last compile. Nx loads its plugin from there too
# (nx.json), so every npm script that runs Nx comes through here first.
set -eu

cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then
  echo "usage: sh tools/run.sh <tool> [args...] | --compile" >&2
  exit 2
fi

installed=node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ -n "$(find package-lock.json -newer "$installed")" ]; then
  # On stderr, like everything this script says: a tool's output may be data (infra/images build).
  echo "installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

stamp=dist/tools/.compiled
if [ ! -f "$stamp" ] || [ -n "$(find tools .swcrc -newer "$stamp" -name '*.ts' -o -newer "$stamp" -name .swcrc | head -n 1)" ]; then
  node_modules/.bin/swc tools -d dist --quiet --ignore '**/*.spec.ts' --ignore '**/*.int-spec.ts' --ignore 'tools/deploy/fixtures/**'
  touch "$stamp"
fi

tool=$1
shift
[ "$tool" = --compile ] && exit 0
exec node --enable-source-maps "dist/tools/$tool.js" "$@"
