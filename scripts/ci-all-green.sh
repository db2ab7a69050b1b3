#!/usr/bin/env bash
# Aggregate the results of the jobs an aggregator `needs` into one pass or fail.
#
#   NEEDS_JSON='${{ toJSON(needs) }}' scripts/ci-all-green.sh
#
# Every needed job must have succeeded; skipped, failed and cancelled all fail the check, so a job
# that silently stops running cannot turn branch protection green.
set -euo pipefail

: "${NEEDS_JSON:?set NEEDS_JSON to the needs context as JSON}"
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

mapfile -t rows < <(jq -r 'to_entries[] | "\(.key) \(.value.result)"' <<<"$NEEDS_JSON")
if [ "${#rows[@]}" -eq 0 ]; then
  echo "::error::no needed jobs in NEEDS_JSON"
  exit 1
fi

failed=0
{
  echo "| job | result |"
  echo "| --- | --- |"
} >>"$summary"
for row in "${rows[@]}"; do
  job=${row%% *}
  result=${row#* }
  echo "| $job | $result |" >>"$summary"
  if [ "$result" != "success" ]; then
    echo "::error::job '$job' finished with '$result'"
    failed=1
  else
    echo "=> $job: success"
  fi
done
exit "$failed"
