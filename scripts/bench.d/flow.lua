-- A realistic mix, in the proportions of one participant's session: for every
-- 8 requests, 1 register, 1 start, 1 resume (GET), 4 autosaves (PUT answers)
-- and 1 submit. Registers use fresh phone numbers; starts use registered
-- participants with no attempt (BENCH_REG); resumes and autosaves use open
-- attempts (BENCH_OPEN); submits take each open attempt of BENCH_SUBMIT once.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local reg, open, sub, n, k, ireg, isub, phone
local round = os.getenv("BENCH_ROUND")
local contest = os.getenv("BENCH_CONTEST")

local function slice(list, t, nthreads)
  local per = math.floor(#list / nthreads)
  return t * per + 1, t * per + per
end

function init(args)
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  reg = common.load_pairs(os.getenv("BENCH_REG"))
  open = common.load_pairs(os.getenv("BENCH_OPEN"))
  sub = common.load_pairs(os.getenv("BENCH_SUBMIT"))
  ireg = { slice(reg, tid, nthreads) }
  isub = { slice(sub, tid, nthreads) }
  ireg.i = ireg[1] - 1
  isub.i = isub[1] - 1
  n = 0
  k = math.random(#open)
  phone = 60000000 + tid * 1000000
end

local json = { ["Content-Type"] = "application/json" }

request = function()
  n = n + 1
  local slot = n % 8
  if slot == 0 then
    phone = phone + 1
    return wrk.format("POST", "/api/contests/" .. contest .. "/participants", json,
      string.format('{"full_name":"Người thử tải","unit_id":"so-noi-vu","phone":"09%08d",'
        .. '"track":"citizen","consent":true}', phone))
  elseif slot == 1 and ireg.i < ireg[2] then
    ireg.i = ireg.i + 1
    return wrk.format("POST", "/api/rounds/" .. round .. "/attempts",
      { ["Authorization"] = "Bearer " .. reg[ireg.i][1] })
  elseif slot == 7 and isub.i < isub[2] then
    isub.i = isub.i + 1
    local p = sub[isub.i]
    return wrk.format("POST", "/api/attempts/" .. p[2] .. "/submit",
      { ["Authorization"] = "Bearer " .. p[1], ["Content-Type"] = "application/json" },
      '{"prediction": 1234}')
  end
  k = k % #open + 1
  local p = open[k]
  if slot == 2 then
    return wrk.format("GET", "/api/attempts/" .. p[2], { ["Authorization"] = "Bearer " .. p[1] })
  end
  return wrk.format("PUT", "/api/attempts/" .. p[2] .. "/answers",
    { ["Authorization"] = "Bearer " .. p[1], ["Content-Type"] = "application/json" },
    '{"answers":{"' .. p[3] .. '":' .. (n % 2) .. '}}')
end

done = common.done("flow")
