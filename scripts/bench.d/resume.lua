-- GET /api/attempts/{id} with the owner's token, spread over all seeded attempts.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local list = common.load_pairs(os.getenv("BENCH_PAIRS"))
local i = math.random(#list)

request = function()
  i = i % #list + 1
  local p = list[i]
  return wrk.format("GET", "/api/attempts/" .. p[2], { ["Authorization"] = "Bearer " .. p[1] })
end

delay = common.pacer()
done = common.done("resume")
