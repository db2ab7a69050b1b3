#!/usr/bin/env bash
# Cancel this pull request's review runs that are still deploying, and wait until they stop,
# so a teardown never races a deploy that would recreate what it just deleted.
#
# Environment: GH_TOKEN (actions: write), GITHUB_REPOSITORY, PR_NUMBER, GITHUB_RUN_ID (this
# run, never cancelled), WORKFLOW_FILE (review.yml), STOP_WAIT_SECONDS (600).
set -euo pipefail

: "${GITHUB_REPOSITORY:?}" "${PR_NUMBER:?}" "${GITHUB_RUN_ID:?}"
workflow=${WORKFLOW_FILE:-review.yml}
wait_seconds=${STOP_WAIT_SECONDS:-600}
runs_api="repos/${GITHUB_REPOSITORY}/actions/workflows/${workflow}/runs"

active_runs() {
  gh api "${runs_api}?event=pull_request&per_page=100" --jq \
    ".workflow_runs[]
     | select(.status != \"completed\" and .id != ${GITHUB_RUN_ID})
     | select(any(.pull_requests[]; .number == ${PR_NUMBER}))
     | .id"
}

mapfile -t runs < <(active_runs)
if [ "${#runs[@]}" -eq 0 ]; then
  echo "=> no review run of #${PR_NUMBER} in flight"
  exit 0
fi

for run in "${runs[@]}"; do
  echo "=> cancelling review run ${run} of #${PR_NUMBER}"
  gh api --method POST "repos/${GITHUB_REPOSITORY}/actions/runs/${run}/cancel" --silent || true
done

deadline=$((SECONDS + wait_seconds))
while [ -n "$(active_runs)" ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "::error::review runs of #${PR_NUMBER} still active after ${wait_seconds}s" >&2
    exit 1
  fi
  sleep 10
done
echo "=> every earlier review run of #${PR_NUMBER} has stopped"
