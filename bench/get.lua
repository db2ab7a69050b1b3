-- wrk script: only GET /hello/<user>, spread uniformly over the stored users.
local common = dofile("bench/common.lua")

math.randomseed(os.time())

request = function()
  return wrk.format("GET", "/hello/" .. common.random_user())
end

done = common.done
