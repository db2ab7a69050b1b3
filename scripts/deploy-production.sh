#!/usr/bin/env bash
# Helm upgrade of the production release to one image digest; Helm rolls back by itself when
# the release does not become ready in time (--rollback-on-failure, Helm 4's --atomic).
#
# Environment: CLOUD (aws|gcp, picks values-production-<cloud>.yaml), IMAGE_REPOSITORY,
# IMAGE_TAG, IMAGE_DIGEST, PRODUCTION_NAMESPACE (hello), RELEASE (hello), HELM_TIMEOUT (10m).
# Output: previous-revision, the revision to return to if the smoke test fails (empty on the
# first install). The namespace exists already: it holds the Redis Secret (docs/deployment.md),
# and the production role may not create namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${CLOUD:?}" "${IMAGE_REPOSITORY:?}" "${IMAGE_TAG:?}" "${IMAGE_DIGEST:?}"
namespace=${PRODUCTION_NAMESPACE:-hello}
release=${RELEASE:-hello}
timeout=${HELM_TIMEOUT:-10m}
case "$CLOUD" in
  aws | gcp) values="helm/hello/values-production-${CLOUD}.yaml" ;;
  *) echo "CLOUD must be aws or gcp, got '${CLOUD}'" >&2; exit 2 ;;
esac
[[ $IMAGE_DIGEST == sha256:* ]] || { echo "IMAGE_DIGEST must be sha256:…" >&2; exit 2; }

# A release left pending by a runner that died would refuse this upgrade.
scripts/deploy-recover-release.sh "$release" "$namespace"

previous=$(helm history "$release" --namespace "$namespace" --max 20 --output json 2>/dev/null |
  jq -r '[.[] | select(.status == "deployed")] | last | .revision // empty' || true)
echo "previous-revision=${previous}" >>"${GITHUB_OUTPUT:-/dev/stdout}"

echo "=> helm upgrade ${release} in ${namespace}: ${IMAGE_REPOSITORY}@${IMAGE_DIGEST}"
helm upgrade "$release" helm/hello \
  --install \
  --namespace "$namespace" \
  --values "$values" \
  --set-string "image.repository=${IMAGE_REPOSITORY}" \
  --set-string "image.tag=${IMAGE_TAG}" \
  --set-string "image.digest=${IMAGE_DIGEST}" \
  --rollback-on-failure \
  --wait \
  --timeout "$timeout" \
  --history-max 20
