-- wrk script for bench/serve_load.sh: every request is a k = 10 search for a fresh random 64-bit
-- code, POST /api/search {"code": "<16 hex digits>", "k": 10}.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local digits = "0123456789abcdef"

request = function()
  local code = {}
  for i = 1, 16 do
    local d = math.random(1, 16)
    code[i] = digits:sub(d, d)
  end
  return wrk.format(nil, "/api/search", nil, '{"k": 10, "code": "' .. table.concat(code) .. '"}')
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
