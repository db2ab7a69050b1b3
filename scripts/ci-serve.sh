#!/usr/bin/env bash
# Start the service in the background for a CI job, or stop the one this script started.
#
#   scripts/ci-serve.sh start   # serve on HELLO_HOST:HELLO_PORT, wait until /readyz answers 200
#   scripts/ci-serve.sh stop    # SIGTERM the recorded PID, wait for it to exit
#
# REDIS_URL, when set, points the service at a real Redis (a service container in ci.yml).
# The log goes to reports/service.log, so it is uploaded with the other reports.
set -euo pipefail
cd "$(dirname "$0")/.."

host=${HELLO_HOST:-127.0.0.1}
port=${HELLO_PORT:-8000}
pid_file=${SERVE_PID_FILE:-${RUNNER_TEMP:-/tmp}/hello-ci-serve-${port}.pid}
log_file=${SERVE_LOG_FILE:-reports/service.log}
wait_seconds=${SERVE_WAIT_SECONDS:-30}

start() {
  mkdir -p "$(dirname "$log_file")"
  echo "=> serving on http://${host}:${port} (log: ${log_file})"
  HELLO_HOST=$host HELLO_PORT=$port HELLO_LOG_FORMAT=json \
    uv run --frozen hello serve >"$log_file" 2>&1 &
  echo "$!" >"$pid_file"

  local deadline=$((SECONDS + wait_seconds))
  until curl --silent --fail --max-time 2 "http://${host}:${port}/readyz" >/dev/null; do
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "::error::the service exited during start-up" >&2
      tail -n 50 "$log_file" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "::error::/readyz did not answer 200 within ${wait_seconds}s" >&2
      tail -n 50 "$log_file" >&2
      stop
      exit 1
    fi
    sleep 1
  done
  echo "=> ready"
}

stop() {
  [ -f "$pid_file" ] || return 0
  local pid
  pid=$(cat "$pid_file")
  rm -f "$pid_file"
  kill -0 "$pid" 2>/dev/null || return 0
  echo "=> stopping the service (pid ${pid})"
  kill -TERM "$pid"
  # uv forwards SIGTERM to `hello serve`; give it the drain and shutdown time it needs.
  local deadline=$((SECONDS + 40))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "::warning::the service ignored SIGTERM; killing pid ${pid}" >&2
    kill -KILL "$pid"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
