-- POST /api/rounds/{round}/attempts for registered participants with no
-- attempt yet: every request draws a new paper (the "thundering herd" of a
-- round's opening). Threads take disjoint slices and stop when theirs is done.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local list, first, last, i
local round = os.getenv("BENCH_ROUND")

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
  return wrk.format("POST", "/api/rounds/" .. round .. "/attempts",
    { ["Authorization"] = "Bearer " .. list[k][1] })
end

delay = common.pacer()
done = common.done("start")
