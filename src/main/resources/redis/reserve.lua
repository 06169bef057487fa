-- Reserve: all claims of one request, all or nothing, in one step.
-- KEYS[1] the reservation's record   KEYS[2] the done set   KEYS[1 + 2i], KEYS[2 + 2i]: counter hash and hold set of claim i
-- last KEYS: the generation marker
-- ARGV[1] now ms   ARGV[2] holdUntil ms   ARGV[3] reservation id   ARGV[4] record TTL ms
-- then 5 per claim: counter key, amount, limit (-1 = none), rolling seconds (0 = fixed period), TTL ms (0 = none)
-- last ARGV: the caller's generation (see lib.lua)
-- Returns {1, used_1, reserved_1, ...} (the states before) or {0, index of the claim that did not fit, used, reserved}.
local now, holdUntil, id = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local nowSec = math.floor(now / 1000)
local n = (#KEYS - 3) / 2
if n == 0 then return {1} end
if not sameGeneration() then return generationError() end

-- A reservation already settled or released is a late copy (its reply was lost, the request went on
-- without it): refused, so that it leaves no hold behind.
if redis.call('ZSCORE', KEYS[2], id) then
  local u, r = state(KEYS[3], tonumber(ARGV[8]), nowSec)
  return {0, 0, u, r}
end

local out = {1}
for i = 1, n do
  local ck, zk, a = KEYS[1 + 2 * i], KEYS[2 + 2 * i], 4 + 5 * (i - 1)
  local amount, limit, rolling = ARGV[a + 2], ARGV[a + 3], tonumber(ARGV[a + 4])
  clean(ck, zk, now)
  local u, r = state(ck, rolling, nowSec)
  if limit ~= '-1' and above(plus(plus(num(u), num(r)), num(amount)), num(limit)) then
    return {0, i - 1, u, r}
  end
  out[#out + 1] = u
  out[#out + 1] = r
end

for i = 1, n do
  local ck, zk, a = KEYS[1 + 2 * i], KEYS[2 + 2 * i], 4 + 5 * (i - 1)
  local amount, rolling, ttl = ARGV[a + 2], tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  made(ck, rolling, ttl)
  -- A rolling counter lives on while it is used; a fixed one until its period is over.
  if rolling > 0 then redis.call('PEXPIRE', ck, ttl) end
  redis.call('HINCRBY', ck, 'reserved', amount)
  redis.call('HINCRBY', ck, 'h:' .. id, amount)
  redis.call('ZADD', zk, holdUntil, id)
  if ttl > 0 then redis.call('PEXPIRE', zk, ttl) end
  redis.call('HSET', KEYS[1], ARGV[a + 1], '1')
end
redis.call('HSET', KEYS[1], '@s', nowSec)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return out
