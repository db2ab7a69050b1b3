#!/usr/bin/env bash
# Remove one review environment: uninstall the release, then delete its namespace.
#
# Environment: REVIEW_NAMESPACE (hello-pr-<N>). Safe to run twice, and on an environment that
# was never made or was half made: missing things are not errors. Needs nothing from the pull
# request's branch, so it works after the branch was deleted.
set -euo pipefail

: "${REVIEW_NAMESPACE:?}"
release=${RELEASE:-hello}
timeout=${TEARDOWN_TIMEOUT:-5m}

if [[ $REVIEW_NAMESPACE != hello-pr-* ]]; then
  echo "refusing to tear down '${REVIEW_NAMESPACE}': not a review namespace" >&2
  exit 2
fi

echo "=> helm uninstall ${release} in ${REVIEW_NAMESPACE}"
helm uninstall "$release" --namespace "$REVIEW_NAMESPACE" \
  --ignore-not-found --wait --timeout "$timeout"

echo "=> delete namespace ${REVIEW_NAMESPACE}"
kubectl delete namespace "$REVIEW_NAMESPACE" --ignore-not-found --wait=true --timeout="$timeout"
