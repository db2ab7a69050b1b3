#!/usr/bin/env bash
# Delete review environments that outlived their pull request, or sat idle past the TTL.
#
# Run daily by review-cleanup.yml; catches what a teardown missed (a cancelled or failed run,
# a PR closed while the cluster was unreachable) and bounds what an open but idle PR costs.
# A namespace qualifies when it carries hello.dev/review=true and
#   - its pull request (label hello.dev/pr) is closed, or
#   - its last deploy (annotation hello.dev/deployed-at, else its creation) is older than
#     REVIEW_TTL_DAYS (default 7); the next push to that PR deploys it again.
# Environment: GH_TOKEN, GITHUB_REPOSITORY, REVIEW_TTL_DAYS, DRY_RUN (true: only report).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${GITHUB_REPOSITORY:?}"
ttl_days=${REVIEW_TTL_DAYS:-7}
dry_run=${DRY_RUN:-false}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
[[ $ttl_days =~ ^[0-9]+$ ]] || { echo "REVIEW_TTL_DAYS must be a whole number" >&2; exit 2; }
now=$(date -u +%s)
cutoff=$((now - ttl_days * 86400))

mapfile -t rows < <(kubectl get namespaces --selector hello.dev/review=true --output json |
  jq -r '.items[] | [
      .metadata.name,
      (.metadata.labels["hello.dev/pr"] // ""),
      (.metadata.annotations["hello.dev/deployed-at"] // .metadata.creationTimestamp)
    ] | @tsv')

{
  echo "### Review environment cleanup (TTL ${ttl_days} days, dry run: ${dry_run})"
  echo
  echo "| namespace | PR | last deploy | action |"
  echo "| --- | --- | --- | --- |"
} >>"$summary"

deleted=0
for row in "${rows[@]}"; do
  IFS=$'\t' read -r namespace pr deployed_at <<<"$row"
  action=keep
  if [[ ! $pr =~ ^[0-9]+$ ]]; then
    action="skip (no PR label)"
  else
    state=$(gh api "repos/${GITHUB_REPOSITORY}/pulls/${pr}" --jq '.state' 2>/dev/null ||
      echo "unknown")
    last=$(date -u -d "$deployed_at" +%s 2>/dev/null || echo 0)
    if [ "$state" = "closed" ]; then
      action="delete (PR closed)"
    elif [ "$last" -lt "$cutoff" ]; then
      action="delete (idle over ${ttl_days} days)"
    elif [ "$state" = "unknown" ]; then
      action="keep (PR state unknown)"
    fi
  fi
  echo "=> ${namespace} (PR ${pr:-?}, last deploy ${deployed_at}): ${action}"
  echo "| ${namespace} | ${pr:-?} | ${deployed_at} | ${action} |" >>"$summary"

  if [[ $action == delete* ]] && [ "$dry_run" != "true" ]; then
    REVIEW_NAMESPACE=$namespace scripts/review-teardown.sh
    PR_NUMBER=$pr scripts/review-deployment.sh deactivate
    deleted=$((deleted + 1))
  fi
done
echo "=> ${#rows[@]} review namespaces, ${deleted} deleted"
