#!/usr/bin/env bash
# The platform on a local kind cluster: creates the cluster (gateway on
# localhost:3000, storefront on localhost:8080), builds every image from the
# one Dockerfile, loads them into the node, applies k8s/overlays/kind, runs the
# migration Jobs to completion and only then rolls out the apps.
# Needs docker, kind and kubectl. Usage: scripts/kind-up.sh [cluster-name]
set -euo pipefail

cd "$(dirname "$0")/.."
CLUSTER="${1:-shop}"
NAMESPACE=shop
TAG=dev
OVERLAY=k8s/overlays/kind

for tool in docker kind kubectl; do
  command -v "$tool" > /dev/null || { echo "kind-up: $tool is not installed" >&2; exit 1; }
done

# Every app in apps/ gets an image; every service with migrations gets a migrate image.
apps=()
for dir in apps/*/; do
  apps+=("$(basename "$dir")")
done
migrating=()
for dir in libs/*/data-access/prisma/migrations/; do
  migrating+=("$(basename "$(dirname "$(dirname "$(dirname "$dir")")")")")
done

if ! kind get clusters | grep -qx "$CLUSTER"; then
  kind create cluster --name "$CLUSTER" --config "$OVERLAY/kind-cluster.yaml"
fi
kubectl config use-context "kind-$CLUSTER" > /dev/null

images=()
for app in "${apps[@]}"; do
  echo "kind-up: building shop/$app:$TAG"
  docker build --build-arg "APP=$app" --target app -t "shop/$app:$TAG" .
  images+=("shop/$app:$TAG")
done
for service in "${migrating[@]}"; do
  echo "kind-up: building shop/$service-migrate:$TAG"
  docker build --build-arg "APP=$service" --target migrate -t "shop/$service-migrate:$TAG" .
  images+=("shop/$service-migrate:$TAG")
done
kind load docker-image --name "$CLUSTER" "${images[@]}"

rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$OVERLAY" > "$rendered"

# Jobs are immutable and run once per deploy: the previous run's go first.
kubectl -n "$NAMESPACE" delete job -l app.kubernetes.io/component=migration --ignore-not-found 2> /dev/null || true

# First everything but the apps: namespace, config, policies, Postgres, Kafka,
# observability and the migration Jobs. Then the apps, once every Job is done.
kubectl apply -f "$rendered" -l 'app.kubernetes.io/component!=app'
kubectl -n "$NAMESPACE" rollout status statefulset/postgres --timeout=300s
kubectl -n "$NAMESPACE" rollout status statefulset/kafka --timeout=300s
kubectl -n "$NAMESPACE" wait --for=condition=complete job -l app.kubernetes.io/component=migration --timeout=600s

kubectl apply -f "$rendered"
for deployment in $(kubectl -n "$NAMESPACE" get deployments -o name); do
  kubectl -n "$NAMESPACE" rollout status "$deployment" --timeout=300s
done

cat << DONE
kind-up: ready
  storefront   http://localhost:8080
  gateway      http://localhost:3000/api   (OpenAPI at /docs, demo tokens at POST /api/auth/token)
  jaeger       kubectl -n $NAMESPACE port-forward svc/jaeger 16686      then http://localhost:16686
  prometheus   kubectl -n $NAMESPACE port-forward svc/prometheus 9090   then http://localhost:9090
DONE
