#!/usr/bin/env bash
# Choose the git tree production will run: REQUESTED (a 40-hex tree hash from a manual run) or
# the tree of the checked-out commit. A squash merge of an up-to-date pull request has exactly
# the tree its review environment tested (docs/adr/0020).
set -euo pipefail
cd "$(dirname "$0")/.."

tree=${REQUESTED:-}
if [ -z "$tree" ]; then
  tree=$(scripts/gha-image.sh tree)
elif [[ ! $tree =~ ^[0-9a-f]{40}$ ]]; then
  echo "::error::tree must be a 40-hex git tree hash, got '${tree}'" >&2
  exit 2
fi

echo "tree=${tree}" >>"${GITHUB_OUTPUT:-/dev/stdout}"
{
  echo "### Production plan"
  echo
  echo "Commit \`${GITHUB_SHA:-$(git rev-parse HEAD)}\`, tree \`${tree}\`:"
  echo "deploy the image tagged \`tested-${tree}\` once the environment's reviewers approve."
} >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
echo "=> tree ${tree}"
