#!/usr/bin/env bash
# Return the production release to PREVIOUS_REVISION after a failed smoke test.
#
# Environment: PREVIOUS_REVISION (from deploy-production.sh), PRODUCTION_NAMESPACE (hello),
# RELEASE (hello). Without a previous revision (the first install failed its smoke test) there
# is nothing to return to: the release stays and the job stays red for a person to decide.
set -euo pipefail

namespace=${PRODUCTION_NAMESPACE:-hello}
release=${RELEASE:-hello}
revision=${PREVIOUS_REVISION:-}

if [ -z "$revision" ]; then
  echo "::error::first install failed its smoke test; no earlier revision to roll back to" >&2
  exit 1
fi
[[ $revision =~ ^[0-9]+$ ]] || { echo "PREVIOUS_REVISION must be a number" >&2; exit 2; }

echo "=> helm rollback ${release} to revision ${revision} in ${namespace}"
helm rollback "$release" "$revision" --namespace "$namespace" --wait --timeout 10m
{
  echo "### Rolled back"
  echo
  echo "The smoke test failed, so \`${release}\` is back at revision ${revision}."
} >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
