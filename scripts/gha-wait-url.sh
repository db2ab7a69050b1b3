#!/usr/bin/env bash
# Wait until URL answers 200, e.g. a new review host while DNS and the ingress catch up.
#
#   scripts/gha-wait-url.sh URL [SECONDS]   # default 300 s; exits 1 when time runs out
set -euo pipefail

url=${1:?usage: $0 URL [SECONDS]}
seconds=${2:-300}
deadline=$((SECONDS + seconds))

echo "=> waiting up to ${seconds}s for ${url}"
until code=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 5 "$url") &&
  [ "$code" = "200" ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "::error::${url} did not answer 200 within ${seconds}s (last status: ${code:-none})" >&2
    exit 1
  fi
  sleep 5
done
echo "=> ${url} answers 200"
