#!/usr/bin/env bash
# Run one locust profile headless against BASE_URL and fail on an SLO breach.
#
#   scripts/load-test.sh [extra locust options...]
#
# Environment: BASE_URL (http://127.0.0.1:8000), PROFILE (smoke), PROFILES_FILE
# (load/profiles.toml), REPORT_DIR (reports/load). Extra options go to locust as they are,
# e.g. --mix read-known=50,write=50 or --slo-p95-ms 50.
# Exit status: 0 when every threshold holds, 1 on a breach, 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

base_url=${BASE_URL:-http://127.0.0.1:8000}
profile=${PROFILE:-smoke}
profiles_file=${PROFILES_FILE:-load/profiles.toml}
report_dir=${REPORT_DIR:-reports/load}
run=("${UV:-uv}" run --frozen)

if [[ ! $base_url =~ ^https?://[^/]+/?$ ]]; then
  echo "BASE_URL must be http(s)://host[:port] with no path, got '$base_url'" >&2
  exit 2
fi
base_url=${base_url%/}

mapfile -t sizing < <("${run[@]}" python load/profiles.py "$profile" --file "$profiles_file")
if [ "${#sizing[@]}" -eq 0 ]; then
  exit 2
fi

mkdir -p "$report_dir"
echo "=> load profile '$profile' against $base_url (${sizing[*]})"
"${run[@]}" locust \
  --locustfile load/locustfile.py \
  --headless \
  --only-summary \
  --host "$base_url" \
  "${sizing[@]}" \
  --load-profile "$profile" \
  --load-profiles-file "$profiles_file" \
  --csv "$report_dir/$profile" \
  --html "$report_dir/$profile.html" \
  "$@"
