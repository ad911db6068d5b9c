-- Shared by the wrk scripts: loads "token attempt_id question_id" lines and
-- prints one RESULT line at the end.
local M = {}

function M.load_pairs(path)
  local pairs_ = {}
  for line in io.lines(path) do
    local tok, aid, qid = line:match("^(%x+) (%d+) ?(%d*)")
    if tok then
      pairs_[#pairs_ + 1] = { tok, aid, qid }
    end
  end
  return pairs_
end

function M.done(name)
  return function(summary, latency, requests)
    local secs = summary.duration / 1e6
    local errors = summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout
    io.write(string.format("RESULT %s %.0f %.2f %.2f %.2f %d %d\n", name,
      summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, errors, summary.requests))
  end
end

-- Paced runs (BENCH_RATE set): the wrk threads together offer BENCH_RATE
-- requests per second as a Poisson stream (exponential gaps), whatever the
-- answers take: each thread keeps a schedule of send times and a connection
-- that is free waits for the next slot (at once if the slot has passed; a
-- backlog over 1 s is dropped). The clock is CLOCK_MONOTONIC through LuaJIT's
-- FFI. nil when not paced.
function M.pacer()
  local rate = tonumber(os.getenv("BENCH_RATE") or "")
  if not rate then
    return nil
  end
  local ffi = require("ffi")
  pcall(ffi.cdef, "typedef struct { long tv_sec; long tv_nsec; } bench_ts;"
    .. "int clock_gettime(int clk, bench_ts *ts);")
  local ts = ffi.new("bench_ts")
  local function now_ms()
    ffi.C.clock_gettime(1, ts)
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local gap = 1000 / (rate / tonumber(os.getenv("BENCH_THREADS")))
  -- each thread's Lua state has its own table addresses: a seed of its own
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003)
  local next_at
  return function()
    local now = now_ms()
    if not next_at or next_at < now - 1000 then
      next_at = now
    end
    local at = next_at
    next_at = next_at - math.log(1 - math.random()) * gap
    return at > now and math.floor(at - now) or 0
  end
end

return M
