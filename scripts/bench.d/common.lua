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

return M
