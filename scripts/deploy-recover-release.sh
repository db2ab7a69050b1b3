#!/usr/bin/env bash
# Bring a Helm release out of a stuck pending-* state so the next upgrade can run.
#
#   scripts/deploy-recover-release.sh RELEASE NAMESPACE
#
# A deploy cancelled half-way (a newer push cancelled the run, or the runner died) leaves the
# release in pending-install, pending-upgrade or pending-rollback, and every later
# `helm upgrade` then fails with "another operation is in progress". This rolls back to the
# last good revision, or uninstalls when there is none (the first install never finished).
# Any other state, or no release at all, is left alone.
set -euo pipefail

release=${1:?usage: $0 RELEASE NAMESPACE}
namespace=${2:?usage: $0 RELEASE NAMESPACE}
timeout=${RECOVER_TIMEOUT:-5m}

if ! history=$(helm history "$release" --namespace "$namespace" --max 20 --output json 2>&1); then
  if grep -qi "not found" <<<"$history"; then
    echo "=> no release ${release} in ${namespace}: nothing to recover"
    exit 0
  fi
  echo "$history" >&2
  exit 1
fi

status=$(jq -r 'sort_by(.revision) | last | .status // "unknown"' <<<"$history")
case "$status" in
  pending-install | pending-upgrade | pending-rollback) ;;
  *)
    echo "=> release ${release} is ${status}: nothing to recover"
    exit 0
    ;;
esac

good=$(jq -r '[.[] | select(.status == "deployed" or .status == "superseded")]
  | sort_by(.revision) | last | .revision // empty' <<<"$history")

if [ -n "$good" ]; then
  echo "=> release ${release} is ${status}; rolling back to revision ${good}"
  helm rollback "$release" "$good" --namespace "$namespace" --wait --timeout "$timeout"
else
  echo "=> release ${release} is ${status} with no good revision; uninstalling"
  helm uninstall "$release" --namespace "$namespace" --wait --timeout "$timeout"
fi
