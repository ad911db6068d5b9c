package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local common = require("common")
delay = common.pacer()
done = common.done(os.getenv("BENCH_NAME") or "static")
