#!/usr/bin/env bash
# The one sticky comment a pull request gets about its review environment.
#
#   scripts/review-comment.sh render   # print the comment body
#   scripts/review-comment.sh post     # create it, or update the earlier one in place
#
# The comment is found again by a hidden marker, so each push edits it instead of adding one.
# Environment: PR_NUMBER, STATE (deployed|removed), URL, IMAGE (repo:tag@digest), HEAD_SHA,
# RUN_URL, and per check RESULT_<BUILD|DEPLOY|CONTRACT|LOAD> (a job result: success, failure,
# cancelled, skipped) with REPORT_CONTRACT / REPORT_LOAD (artifact links, may be empty).
# `post` also needs GH_TOKEN (pull-requests: write) and GITHUB_REPOSITORY.
set -euo pipefail

MARKER='<!-- hello-review-environment -->'

icon() {
  case "$1" in
    success) echo "✅ passed" ;;
    failure) echo "❌ failed" ;;
    cancelled) echo "⏹️ cancelled" ;;
    skipped | "") echo "⏭️ skipped" ;;
    *) echo "$1" ;;
  esac
}

link() {
  if [ -n "${1:-}" ]; then echo "[report]($1)"; else echo "—"; fi
}

render() {
  : "${PR_NUMBER:?}" "${STATE:?}"
  echo "$MARKER"
  echo "### Review environment for #${PR_NUMBER}"
  echo
  if [ "$STATE" = "removed" ]; then
    echo "The environment was removed when the pull request closed"
    echo "(namespace \`hello-pr-${PR_NUMBER}\`, release \`hello\`)."
    [ -n "${RUN_URL:-}" ] && echo "Teardown: [workflow run](${RUN_URL})."
    return 0
  fi
  echo "| | |"
  echo "| --- | --- |"
  echo "| URL | ${URL:+<${URL}>} |"
  echo "| Image | \`${IMAGE:-not built}\` |"
  echo "| Commit | ${HEAD_SHA:-unknown} |"
  echo "| Namespace | \`hello-pr-${PR_NUMBER}\` |"
  echo
  echo "| Check | Result | Report |"
  echo "| --- | --- | --- |"
  echo "| Build and push | $(icon "${RESULT_BUILD:-}") | — |"
  echo "| Deploy (skaffold, profile review) | $(icon "${RESULT_DEPLOY:-}") | — |"
  echo "| Contract test (schemathesis) | $(icon "${RESULT_CONTRACT:-}") |" \
    "$(link "${REPORT_CONTRACT:-}") |"
  echo "| Load test (locust, profile review) | $(icon "${RESULT_LOAD:-}") |" \
    "$(link "${REPORT_LOAD:-}") |"
  echo
  [ -n "${RUN_URL:-}" ] && echo "Updated by [this workflow run](${RUN_URL}) on each push."
  return 0
}

post() {
  : "${GITHUB_REPOSITORY:?}" "${PR_NUMBER:?}"
  local body comments_api existing
  body=$(render)
  comments_api="repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments"
  existing=$(gh api --paginate "$comments_api" \
    --jq "[.[] | select(.body | startswith(\"${MARKER}\"))] | first | .id // empty" | head -n 1)
  if [ -n "$existing" ]; then
    jq -n --arg body "$body" '{body: $body}' |
      gh api --method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${existing}" \
        --input - --silent
    echo "=> updated comment ${existing} on #${PR_NUMBER}"
  else
    jq -n --arg body "$body" '{body: $body}' |
      gh api --method POST "$comments_api" --input - --silent
    echo "=> commented on #${PR_NUMBER}"
  fi
}

case "${1:-}" in
  render) render ;;
  post) post ;;
  *)
    echo "usage: $0 render|post" >&2
    exit 2
    ;;
esac
