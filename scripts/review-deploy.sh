#!/usr/bin/env bash
# Deploy one pull request's image into its review namespace with Skaffold (profile review).
#
# Environment: PR_NUMBER, IMAGE (repo:tag@sha256:digest, built and pushed by the build job),
# REVIEW_NAMESPACE (hello-pr-<N>) and REVIEW_HOST (pr-<N>.<review domain>), which skaffold.yaml
# reads; GITHUB_REPOSITORY labels the namespace for the scheduled cleanup.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${PR_NUMBER:?}" "${IMAGE:?}" "${REVIEW_NAMESPACE:?}" "${REVIEW_HOST:?}"
export REVIEW_NAMESPACE REVIEW_HOST
release=${RELEASE:-hello}

if [[ $IMAGE != *:*@sha256:* ]]; then
  echo "IMAGE must be repo:tag@sha256:digest, got '${IMAGE}'" >&2
  exit 2
fi

# A teardown of an earlier close may still be deleting the namespace (the PR was reopened).
phase=$(kubectl get namespace "$REVIEW_NAMESPACE" -o jsonpath='{.status.phase}' 2>/dev/null || true)
if [ "$phase" = "Terminating" ]; then
  echo "=> waiting for the old ${REVIEW_NAMESPACE} to finish terminating"
  kubectl wait --for=delete "namespace/${REVIEW_NAMESPACE}" --timeout=300s
fi

echo "=> namespace ${REVIEW_NAMESPACE}"
kubectl create namespace "$REVIEW_NAMESPACE" --dry-run=client --output yaml | kubectl apply -f -
kubectl label namespace "$REVIEW_NAMESPACE" --overwrite \
  app.kubernetes.io/part-of=hello \
  hello.dev/review=true \
  "hello.dev/pr=${PR_NUMBER}"
kubectl annotate namespace "$REVIEW_NAMESPACE" --overwrite \
  "hello.dev/repository=${GITHUB_REPOSITORY:-unknown}" \
  "hello.dev/deployed-at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# A run cancelled by a newer push can leave the release pending; clear that first.
scripts/deploy-recover-release.sh "$release" "$REVIEW_NAMESPACE"

echo "=> skaffold deploy -p review ${IMAGE} to https://${REVIEW_HOST}"
SKAFFOLD_UPDATE_CHECK=false skaffold deploy \
  --profile review \
  --images "hello=${IMAGE}" \
  --status-check=true \
  --tail=false
