#!/usr/bin/env bash
# Post-deploy smoke test of a live URL: schema-valid requests only (nothing deliberately bad is
# sent to production), then the short `smoke` load profile with its SLO thresholds.
#
#   scripts/deploy-smoke.sh https://hello.example.com
#
# Reports land under reports/ like every other contract and load run.
set -euo pipefail
cd "$(dirname "$0")/.."

url=${1:?usage: $0 BASE_URL}
url=${url%/}

scripts/gha-wait-url.sh "${url}/readyz" "${SMOKE_WAIT_SECONDS:-120}"

echo "=> positive contract checks against ${url}"
CONTRACT_ARGS="--mode positive --max-examples 20" make contract-test BASE_URL="$url"

echo "=> smoke load profile against ${url}"
make load-test BASE_URL="$url" PROFILE=smoke
