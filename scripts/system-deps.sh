#!/usr/bin/env bash
# Install the Debian packages that the tests start as real processes, when they are missing.
set -euo pipefail

declare -A wanted=(
  [redis-server]=redis-server
  [redis-cli]=redis-tools
  [haproxy]=haproxy
)

missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing tools: ${missing[*]}; install these packages, then run again" >&2
  exit 1
fi

echo "=> installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
