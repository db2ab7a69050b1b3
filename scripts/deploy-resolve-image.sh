#!/usr/bin/env bash
# Find the digest of the image that passed review for TREE, or fail saying why there is none.
#
# Environment: REPOSITORY (registry path of the hello image), TREE. Output: digest.
# The `tested-<tree>` tag is written by review.yml only after the contract and load tests
# passed; it must point at the same digest as the `tree-<tree>` tag the build pushed.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${REPOSITORY:?}" "${TREE:?}"
tested=$(scripts/gha-image.sh digest "${REPOSITORY}:tested-${TREE}")
if [ -z "$tested" ]; then
  {
    echo "### No tested image for tree \`${TREE}\`"
    echo
    echo "No review environment passed its tests with exactly this tree, so there is nothing"
    echo "to promote. Usual causes: main moved after the pull request's last review run"
    echo "(require branches to be up to date before merging), the pull request came from a"
    echo "fork, or its review run is still going. Production keeps running the previous release."
  } >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
  echo "::error::no image tagged tested-${TREE} in ${REPOSITORY}" >&2
  exit 1
fi

built=$(scripts/gha-image.sh digest "${REPOSITORY}:tree-${TREE}")
if [ "$built" != "$tested" ]; then
  echo "::error::tested-${TREE} (${tested}) and tree-${TREE} (${built:-none}) differ" >&2
  exit 1
fi

echo "digest=${tested}" >>"${GITHUB_OUTPUT:-/dev/stdout}"
echo "=> promoting ${REPOSITORY}:tree-${TREE}@${tested}"
