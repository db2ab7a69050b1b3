#!/usr/bin/env bash
# Fail early, naming the missing repository or environment variable, before any cloud call.
# Reads CLOUD, REGION, CLUSTER and the per-cloud inputs from the environment.
set -euo pipefail

missing=()
need() {
  local name="$1"
  [ -n "${!name:-}" ] || missing+=("$name")
}

need REGION
need CLUSTER
case "${CLOUD:-}" in
  aws)
    need AWS_ROLE_ARN
    ;;
  gcp)
    need GCP_PROJECT
    need GCP_PROVIDER
    need GCP_SERVICE_ACCOUNT
    need GKE_LOCATION
    ;;
  *)
    echo "::error::repository variable CLOUD must be 'aws' or 'gcp', got '${CLOUD:-}'" >&2
    exit 1
    ;;
esac

if [ "${#missing[@]}" -gt 0 ]; then
  echo "::error::cloud-login (${CLOUD}) is missing: ${missing[*]}; see docs/cloud-setup.md" >&2
  exit 1
fi
echo "=> logging in to ${CLOUD}, cluster ${CLUSTER} in ${REGION}"
