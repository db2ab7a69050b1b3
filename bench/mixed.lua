-- wrk script: 90 % GET /hello/<user>, 10 % PUT of a new date of birth for a stored user.
local common = dofile("bench/common.lua")

local headers = { ["Content-Type"] = "application/json" }

math.randomseed(os.time())

request = function()
  local path = "/hello/" .. common.random_user()
  if math.random(10) > 1 then
    return wrk.format("GET", path)
  end
  local body = string.format(
    '{"dateOfBirth": "%04d-%02d-%02d"}',
    math.random(1940, 2020), math.random(1, 12), math.random(1, 28))
  return wrk.format("PUT", path, headers, body)
end

done = common.done
