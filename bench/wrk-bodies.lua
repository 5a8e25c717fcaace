-- Sends a body of its own with each request: the bodies are the lines of a file named after `--`
-- on wrk's command line, each sent once in turn (from the first again should the run outlast
-- them). Counts the answers by status, which wrk alone does not tell apart, and prints them with
-- wrk's totals when the run ends (see wrk-report.lua for those).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  if #bodies == 0 then error("no bodies in " .. args[1]) end
  method = args[2] or "POST"
  sent = 0
  statuses = {}
end

function request()
  sent = sent + 1
  return wrk.format(method, nil, nil, bodies[(sent - 1) % #bodies + 1])
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local counted = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do counted[status] = (counted[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(counted) do parts[#parts + 1] = string.format('"%d":%d', status, n) end
  local e = summary.errors
  io.write(string.format(
    '\nWRK_JSON {"durationUs":%d,"requests":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"latencyUs":{"mean":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d},"statuses":{%s}}\n',
    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99), table.concat(parts, ",")))
end
