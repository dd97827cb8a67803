#!/usr/bin/env bash
# Deletes the kind cluster scripts/kind-up.sh made, with everything in it.
# Usage: scripts/kind-down.sh [cluster-name]
set -euo pipefail

CLUSTER="${1:-shop}"
command -v kind > /dev/null || { echo "kind-down: kind is not installed" >&2; exit 1; }
if kind get clusters | grep -qx "$CLUSTER"; then
  kind delete cluster --name "$CLUSTER"
else
  echo "kind-down: no cluster named $CLUSTER"
fi
