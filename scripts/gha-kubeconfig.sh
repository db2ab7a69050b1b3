#!/usr/bin/env bash
# Write a kubeconfig for the EKS or GKE cluster into the runner's temp dir and export KUBECONFIG.
# Credentials come from the OIDC login done just before; nothing long-lived is stored.
set -euo pipefail

: "${CLOUD:?}" "${CLUSTER:?}"
kubeconfig="${RUNNER_TEMP:-/tmp}/kubeconfig-${CLUSTER}"

case "$CLOUD" in
  aws)
    aws eks update-kubeconfig --name "$CLUSTER" --region "${REGION:?}" \
      --kubeconfig "$kubeconfig" --alias "$CLUSTER" >/dev/null
    ;;
  gcp)
    KUBECONFIG="$kubeconfig" gcloud container clusters get-credentials "$CLUSTER" \
      --location "${GKE_LOCATION:?}" --project "${GCP_PROJECT:?}" --quiet
    ;;
  *)
    echo "unknown cloud '$CLOUD'" >&2
    exit 1
    ;;
esac

chmod 600 "$kubeconfig"
echo "KUBECONFIG=$kubeconfig" >> "${GITHUB_ENV:?}"
echo "kubeconfig=$kubeconfig" >> "${GITHUB_OUTPUT:?}"
echo "=> kubeconfig for ${CLUSTER} written"
