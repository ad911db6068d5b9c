-- POST /api/attempts/{id}/submit, each attempt once: every answer is a real
-- first submit, scored and durably committed. Threads take disjoint slices
-- and stop when theirs is used up.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local list, first, last, i

function init(args)
  list = common.load_pairs(os.getenv("BENCH_PAIRS"))
  local n = tonumber(os.getenv("BENCH_THREADS"))
  local per = math.floor(#list / n)
  first = tid * per + 1
  last = first + per - 1
  -- wrk calls request() once in thread 0 to check it, without sending it:
  -- that call must not use up the first participant
  i = tid == 0 and first - 2 or first - 1
end

request = function()
  i = i + 1
  if i > last then
    wrk.thread:stop()
    i = last
  end
  local k = math.max(i, first)
  local p = list[k]
  return wrk.format("POST", "/api/attempts/" .. p[2] .. "/submit",
    { ["Authorization"] = "Bearer " .. p[1], ["Content-Type"] = "application/json" },
    '{"prediction": 1234}')
end

delay = common.pacer()
done = common.done("submit")
