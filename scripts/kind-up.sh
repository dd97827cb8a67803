#!/usr/bin/env bash
# The platform on a local kind cluster:
#  - checks kind's version: releases before 0.24 do not enforce NetworkPolicies, so the cluster would run
#    without the isolation k8s/base declares;
#  - creates the cluster (gateway on localhost:3000, storefront on localhost:4200) unless it exists;
#  - builds each app's image (tools/infra/images.ts: localhost/shop/<app>, tagged with the app's version and
#    with dev) and loads them, with the Node base image the secrets Job runs on, as one image archive
#    (`kind load docker-image` fails under Docker's containerd image store, kubernetes-sigs/kind#3795);
#  - applies k8s/overlays/kind with each app on its version (a kustomization in .local/kind that names them),
#    so that a re-run rolls out exactly the apps whose version changed; the overlay as typed runs the dev tags;
#  - waits for the secrets Job (it makes shop-secrets in the cluster) and for every Deployment (each service's
#    pods apply its migrations in an init container first).
# Needs docker, kind, kubectl and node. Usage: scripts/kind-up.sh [cluster-name]
set -euo pipefail

cd "$(dirname "$0")/.."
CLUSTER="${1:-shop}"
NAMESPACE=shop
OVERLAY=k8s/overlays/kind
RELEASE=.local/kind
MIN_KIND=0.24.0
NODE_IMAGE="$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)"

for tool in docker kind kubectl node; do
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

echo "kind-up: building one image per app"
mkdir -p "$RELEASE"
sh tools/run.sh infra/images build > "$RELEASE/images.txt"
archive="$(mktemp)"
trap 'rm -f "$archive"' EXIT
images=("$NODE_IMAGE")
while read -r app image _version _size; do
  images+=("$image" "localhost/shop/$app:dev")
done < "$RELEASE/images.txt"
docker save "${images[@]}" -o "$archive"
kind load image-archive "$archive" --name "$CLUSTER"

{
  echo "# Made by scripts/kind-up.sh: the kind overlay with each app on the version it just built."
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "resources:"
  echo "  - ../../$OVERLAY"
  echo "images:"
  while read -r app _image version _size; do
    printf '  - name: localhost/shop/%s\n    newTag: "%s"\n' "$app" "$version"
  done < "$RELEASE/images.txt"
} > "$RELEASE/kustomization.yaml"

if kubectl get namespace "$NAMESPACE" > /dev/null 2>&1; then
  # A Job's template cannot change once it exists; run it again instead (it only adds the keys a Secret lacks).
  kubectl -n "$NAMESPACE" delete job shop-secrets --ignore-not-found
  # Nor can a Deployment's selector: those made before the release tracks (no shop/track label) are replaced.
  kubectl -n "$NAMESPACE" delete deployment -l 'app.kubernetes.io/component=app,!shop/track' --ignore-not-found
fi
kubectl apply -k "$RELEASE"
kubectl -n "$NAMESPACE" wait --for=condition=complete job/shop-secrets --timeout=300s
for deployment in $(kubectl -n "$NAMESPACE" get deployments -o name); do
  kubectl -n "$NAMESPACE" rollout status "$deployment" --timeout=600s
done

cat << DONE
kind-up: ready
  storefront   http://localhost:4200
  gateway      http://localhost:3000/api   (OpenAPI at /docs, demo tokens at POST /api/auth/token)
  zipkin       kubectl -n $NAMESPACE port-forward svc/zipkin 9411       then http://localhost:9411/zipkin/
  prometheus   kubectl -n $NAMESPACE port-forward svc/prometheus 9090   then http://localhost:9090
  versions     $(awk '{ printf "%s %s  ", $1, $3 }' "$RELEASE/images.txt")
DONE
