#!/usr/bin/env bash
# Check a running service against its own OpenAPI document with schemathesis.
#
#   scripts/contract-test.sh [extra `st run` options...]
#
# Environment: BASE_URL (http://127.0.0.1:8000), REPORT_DIR (reports/contract).
# The budget, checks and phases live in contract/schemathesis.toml; extra options override
# them for one run, e.g. --max-examples 10 or --seed 42 to replay a failure.
# Exit status: 0 when every check passes, non-zero on any failure or error.
set -euo pipefail
cd "$(dirname "$0")/.."

base_url=${BASE_URL:-http://127.0.0.1:8000}
report_dir=${REPORT_DIR:-reports/contract}

if [[ ! $base_url =~ ^https?://[^/]+/?$ ]]; then
  echo "BASE_URL must be http(s)://host[:port] with no path, got '$base_url'" >&2
  exit 2
fi
base_url=${base_url%/}

mkdir -p "$report_dir"
export CONTRACT_CACHE_DIR="$report_dir/cache"
echo "=> schemathesis against $base_url/schema/openapi.json"
"${UV:-uv}" run --frozen st --config-file contract/schemathesis.toml run \
  --no-color \
  --report-dir "$report_dir" \
  --report-junit-path "$report_dir/junit.xml" \
  "$@" \
  "$base_url/schema/openapi.json"
