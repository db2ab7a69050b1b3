#!/usr/bin/env bash
# End to end on one machine: a real redis-server and the service as production runs it
# (REDIS_URL set, one worker), each on a free loopback port; then the contract tests and the
# smoke load profile against it. Every process started here is stopped by its PID on exit,
# on failure and on Ctrl-C alike.
#
# Environment: REPORT_DIR (reports/e2e); contract and load reports go in subdirectories.
set -euo pipefail
cd "$(dirname "$0")/.."

report_dir=${REPORT_DIR:-reports/e2e}
run=("${UV:-uv}" run --frozen)
ready_timeout=30
work=$(mktemp -d "${TMPDIR:-/tmp}/hello-e2e.XXXXXX")
pids=()
step_pid=

stop_all() {
  local status=$? pid i
  trap - EXIT INT TERM
  if [ -n "$step_pid" ]; then
    kill -TERM -- "-$step_pid" 2>/dev/null || true
    wait "$step_pid" 2>/dev/null || true
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "=> process $pid ignored SIGTERM for 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for cmd in redis-server redis-cli curl; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "$cmd is missing; run 'make system-deps' first" >&2
    exit 2
  fi
done

# The venv's interpreter, so that the PID we keep is the service's own, not uv's.
python=$("${run[@]}" python -c 'import sys; print(sys.executable)')
free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

mkdir -p "$report_dir"
report_dir=$(cd "$report_dir" && pwd)

redis_port=$(free_port)
echo "=> redis-server on 127.0.0.1:$redis_port"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$work" --logfile "$report_dir/redis.log" &
pids+=("$!")
for _ in $(seq 1 100); do
  [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done

app_port=$(free_port)
base_url="http://127.0.0.1:$app_port"
echo "=> hello serve on $base_url (REDIS_URL=redis://127.0.0.1:$redis_port/0, 1 worker)"
# Production settings only: nothing from the caller's HELLO_* or REDIS_* variables.
unset_settings=()
for name in $(compgen -e | grep -E '^(HELLO|REDIS)_' || true); do
  unset_settings+=(-u "$name")
done
env "${unset_settings[@]}" \
  HELLO_HOST=127.0.0.1 HELLO_PORT="$app_port" HELLO_WORKERS=1 HELLO_LOG_FORMAT=json \
  REDIS_URL="redis://127.0.0.1:$redis_port/0" \
  "$python" -m hello serve >"$report_dir/service.log" 2>&1 &
pids+=("$!")

started=$(date +%s%N)
deadline=$((SECONDS + ready_timeout))
until curl -fsS --max-time 1 "$base_url/readyz" >/dev/null 2>&1; do
  if ! kill -0 "${pids[-1]}" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "the service did not become ready within ${ready_timeout} s; its log:" >&2
    cat "$report_dir/service.log" >&2
    exit 1
  fi
  sleep 0.2
done
echo "=> ready after $((($(date +%s%N) - started) / 1000000)) ms"

# Each step runs in a session of its own, waited for in the background so that a signal to
# this script stops it at once: the trap then ends the step's whole process group by its id.
step() {
  local status=0
  setsid "$@" &
  step_pid=$!
  wait "$step_pid" || status=$?
  step_pid=
  return "$status"
}

export BASE_URL=$base_url
failed=()
REPORT_DIR="$report_dir/contract" step scripts/contract-test.sh || failed+=(contract)
REPORT_DIR="$report_dir/load" PROFILE=smoke step scripts/load-test.sh || failed+=(load)

# The users the load run registered must be in this Redis, or the service used another store.
stored=$(redis-cli -p "$redis_port" --scan --pattern 'hello:user:*' | wc -l)
echo "=> $stored users stored in redis-server"
[ "$stored" -gt 0 ] || failed+=(redis-store)

if [ "${#failed[@]}" -gt 0 ]; then
  echo "=> e2e failed: ${failed[*]} (reports in $report_dir)" >&2
  exit 1
fi
echo "=> e2e passed (reports in $report_dir)"
