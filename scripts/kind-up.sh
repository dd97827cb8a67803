#!/usr/bin/env bash
# The platform on a local kind cluster:
#  - checks kind's version: releases before 0.24 do not enforce NetworkPolicies, so the cluster would run
#    without the isolation k8s/base declares;
#  - creates the cluster (gateway on localhost:3000, storefront on localhost:4200) unless it exists;
#  - builds the platform image from the Dockerfile and loads it into the node as an image archive
#    (`kind load docker-image` fails under Docker's containerd image store, kubernetes-sigs/kind#3795);
#  - makes the cluster's secrets once: random values in k8s/overlays/kind/secrets.env (git-ignored);
#  - applies k8s/overlays/kind and waits for every Deployment (each service's pods apply its migrations
#    in an init container first). On a re-run the Deployments restart, so they run the image just built:
#    its name and tag do not change.
# Needs docker, kind and kubectl. Usage: scripts/kind-up.sh [cluster-name]
set -euo pipefail

cd "$(dirname "$0")/.."
CLUSTER="${1:-shop}"
NAMESPACE=shop
IMAGE=localhost/shop/platform:dev
OVERLAY=k8s/overlays/kind
MIN_KIND=0.24.0

for tool in docker kind kubectl; do
  command -v "$tool" > /dev/null || { echo "kind-up: $tool is not installed" >&2; exit 1; }
done

kind_version="$(kind version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)"
if [ "$(printf '%s\n%s\n' "$MIN_KIND" "$kind_version" | sort -V | head -n 1)" != "$MIN_KIND" ]; then
  echo "kind-up: kind $kind_version is older than $MIN_KIND, which does not enforce NetworkPolicies; upgrade kind" >&2
  exit 1
fi

if ! kind get clusters | grep -qx "$CLUSTER"; then
  kind create cluster --name "$CLUSTER" --config "$OVERLAY/kind-cluster.yaml"
fi
kubectl config use-context "kind-$CLUSTER" > /dev/null

echo "kind-up: building $IMAGE"
docker build -t "$IMAGE" .
archive="$(mktemp)"
trap 'rm -f "$archive"' EXIT
docker save "$IMAGE" -o "$archive"
kind load image-archive "$archive" --name "$CLUSTER"

deploy/secrets/make-secrets.sh env-file "$OVERLAY/secrets.env"

existing="$(kubectl -n "$NAMESPACE" get deployments -o name 2> /dev/null || true)"
kubectl apply -k "$OVERLAY"
if [ -n "$existing" ]; then
  kubectl -n "$NAMESPACE" rollout restart deployment -l app.kubernetes.io/component=app
fi
for deployment in $(kubectl -n "$NAMESPACE" get deployments -o name); do
  kubectl -n "$NAMESPACE" rollout status "$deployment" --timeout=600s
done

cat << DONE
kind-up: ready
  storefront   http://localhost:4200
  gateway      http://localhost:3000/api   (OpenAPI at /docs, demo tokens at POST /api/auth/token)
  zipkin       kubectl -n $NAMESPACE port-forward svc/zipkin 9411       then http://localhost:9411/zipkin/
  prometheus   kubectl -n $NAMESPACE port-forward svc/prometheus 9090   then http://localhost:9090
DONE
