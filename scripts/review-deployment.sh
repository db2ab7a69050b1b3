#!/usr/bin/env bash
# GitHub deployment `review/pr-<N>` of a pull request, through the REST API with `gh`.
#
#   scripts/review-deployment.sh start                # new deployment, in_progress; prints its id
#   scripts/review-deployment.sh finish ID STATE URL  # success|failure|error, with the env URL
#   scripts/review-deployment.sh deactivate           # every deployment of the PR -> inactive
#
# Environment: GH_TOKEN (deployments: write), GITHUB_REPOSITORY, PR_NUMBER; `start` also needs
# HEAD_SHA; RUN_URL (the workflow run) becomes each status's log link.
set -euo pipefail

: "${GITHUB_REPOSITORY:?}" "${PR_NUMBER:?}"
environment="review/pr-${PR_NUMBER}"
api="repos/${GITHUB_REPOSITORY}/deployments"
log_url=${RUN_URL:-}

set_status() {
  local id="$1" state="$2" url="${3:-}"
  jq -n --arg state "$state" --arg env_url "$url" --arg log_url "$log_url" \
    '{state: $state, log_url: $log_url, auto_inactive: true}
     + (if $env_url != "" then {environment_url: $env_url} else {} end)' |
    gh api --method POST "${api}/${id}/statuses" --input - --silent
}

start() {
  : "${HEAD_SHA:?}"
  local id
  id=$(jq -n --arg ref "$HEAD_SHA" --arg env "$environment" \
    '{ref: $ref, environment: $env, auto_merge: false, required_contexts: [],
      transient_environment: true, production_environment: false,
      description: "review environment of the pull request"}' |
    gh api --method POST "$api" --input - --jq '.id')
  set_status "$id" in_progress
  echo "$id"
}

deactivate() {
  local ids id
  ids=$(gh api --paginate "${api}?environment=${environment}" --jq '.[].id')
  for id in $ids; do
    set_status "$id" inactive
    echo "=> deployment ${id} (${environment}) inactive"
  done
}

case "${1:-}" in
  start) start ;;
  finish)
    [ $# -ge 3 ] || { echo "usage: $0 finish ID STATE [URL]" >&2; exit 2; }
    set_status "$2" "$3" "${4:-}"
    ;;
  deactivate) deactivate ;;
  *)
    echo "usage: $0 start | finish ID STATE [URL] | deactivate" >&2
    exit 2
    ;;
esac
