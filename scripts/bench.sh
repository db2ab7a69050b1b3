#!/usr/bin/env bash
# Benchmark the service against a raw-ASGI baseline with wrk: see bench/run.py.
#
#   scripts/bench.sh [bench/run.py options...]    e.g. --duration 5 --rounds 1
#
# Needs two CPUs, redis-server and wrk; installs wrk from Debian when it is missing and this
# runs as root. Takes about six minutes with the defaults. Not part of CI: shared runners are
# too noisy for throughput figures.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "wrk is missing; install it (Debian/Ubuntu: apt-get install wrk), then run again" >&2
    exit 1
  fi
  echo "=> installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
for cmd in redis-server taskset; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "$cmd is missing; run 'make system-deps' (redis-server) or install util-linux" >&2
    exit 1
  fi
done

exec "${UV:-uv}" run --frozen python -m bench.run "$@"
