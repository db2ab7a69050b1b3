#!/usr/bin/env bash
# Decide what the review workflow does for this pull_request event, and say why in the summary.
#
# Environment (set by review.yml from the event payload and repository variables):
#   PR_NUMBER, EVENT_ACTION, HEAD_REPO (owner/name of the PR's head, empty when the fork is
#   gone), BASE_REPO (this repository), TRIGGERING_ACTOR, CLOUD (aws|gcp), REVIEW_DOMAIN.
# Outputs (to GITHUB_OUTPUT): deploy, teardown (true|false), namespace, host, url.
#
# Only pull requests whose head branch lives in this repository get an environment: a fork's
# code must never run next to cloud credentials (docs/adr/0021).
set -euo pipefail

: "${PR_NUMBER:?}" "${EVENT_ACTION:?}" "${BASE_REPO:?}"
[[ $PR_NUMBER =~ ^[0-9]+$ ]] || { echo "PR_NUMBER must be a number" >&2; exit 2; }
output=${GITHUB_OUTPUT:-/dev/stdout}
summary=${GITHUB_STEP_SUMMARY:-/dev/stderr}

namespace="hello-pr-${PR_NUMBER}"
host="pr-${PR_NUMBER}.${REVIEW_DOMAIN:-}"
deploy=false
teardown=false
reason=""

if [ "${HEAD_REPO:-}" != "$BASE_REPO" ]; then
  reason="fork"
elif [ "$EVENT_ACTION" != "closed" ] && [ "${TRIGGERING_ACTOR:-}" = "dependabot[bot]" ]; then
  reason="dependabot"
elif [ "${CLOUD:-}" != "aws" ] && [ "${CLOUD:-}" != "gcp" ]; then
  reason="unconfigured"
elif [ -z "${REVIEW_DOMAIN:-}" ]; then
  reason="unconfigured"
elif [ "$EVENT_ACTION" = "closed" ]; then
  teardown=true
else
  deploy=true
fi

case "$reason" in
  fork)
    {
      echo "### No review environment for #${PR_NUMBER}"
      echo
      echo "This pull request comes from the fork \`${HEAD_REPO:-(deleted)}\`."
      echo "Review environments build and run the pull request's code with cloud credentials,"
      echo "which this repository never hands to code from forks."
      echo "CI still runs every check without credentials."
      echo "A maintainer who has read the change can push it to a branch of this repository"
      echo "and open a pull request from there to get an environment."
    } >>"$summary"
    echo "::notice::no review environment: pull request from fork ${HEAD_REPO:-(deleted)}"
    ;;
  dependabot)
    {
      echo "### No review environment for #${PR_NUMBER} yet"
      echo
      echo "Runs started by Dependabot get no OIDC token, so they cannot reach the cloud."
      echo "A maintainer can re-run this workflow; the re-run deploys with their identity."
    } >>"$summary"
    echo "::notice::no review environment for a run started by Dependabot; re-run to deploy"
    ;;
  unconfigured)
    {
      echo "### No review environment for #${PR_NUMBER}"
      echo
      echo "Repository variables CLOUD (aws or gcp) and REVIEW_DOMAIN are not both set,"
      echo "so this repository has no review cluster yet; see docs/cloud-setup.md."
    } >>"$summary"
    echo "::notice::no review environment: CLOUD or REVIEW_DOMAIN is not set"
    ;;
esac

{
  echo "deploy=${deploy}"
  echo "teardown=${teardown}"
  echo "namespace=${namespace}"
  echo "host=${host}"
  echo "url=https://${host}"
} >>"$output"
echo "=> deploy=${deploy} teardown=${teardown} namespace=${namespace}"
