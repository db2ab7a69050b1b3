-- Shared by the wrk scripts of `make bench`: user names and the summary line bench/run.py reads.
local common = {}

common.users = tonumber(os.getenv("BENCH_USERS") or "1000")

-- User i (0-based) is "bench" and i written in base 26 with the letters a..z; bench/run.py
-- stores the same names before the run.
function common.username(i)
  local letters = ""
  repeat
    local digit = i % 26
    letters = string.char(97 + digit) .. letters
    i = (i - digit) / 26
  until i == 0
  return "bench" .. letters
end

function common.random_user()
  return common.username(math.random(0, common.users - 1))
end

-- One line of JSON after the run; latencies in microseconds.
function common.done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "status_errors": %d, ' ..
    '"socket_errors": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end

return common
