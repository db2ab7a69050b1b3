#!/usr/bin/env bash
# Record the image a review run deploys: repository, tree tag and digest, as step outputs and
# in the job summary. Environment: REPOSITORY, TREE, DIGEST (sha256:…).
set -euo pipefail

: "${REPOSITORY:?}" "${TREE:?}"
if [[ ${DIGEST:-} != sha256:* ]]; then
  echo "::error::no digest for ${REPOSITORY}:tree-${TREE}; the build or the lookup failed" >&2
  exit 1
fi
image="${REPOSITORY}:tree-${TREE}@${DIGEST}"

{
  echo "image=${image}"
  echo "digest=${DIGEST}"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
{
  echo "### Image"
  echo
  echo "\`${image}\`"
} >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
echo "=> ${image}"
