-- Settle: drop the reservation's holds and add what the request really used. Idempotent: a settled
-- reservation's id stays in the 'done' set for a few minutes, so a settlement replayed after its
-- reply was lost (replays follow the original within seconds: see ResilientCounterStore) counts once.
-- KEYS[1] the reservation's record   KEYS[2] the done set (id -> ms settled or released)
-- KEYS[1 + 2i], KEYS[2 + 2i]: counter hash and hold set of actual i
-- ARGV[1] now ms   ARGV[2] reservation id   ARGV[3] key prefix   ARGV[4] how long ids stay done, ms
-- then 3 per actual: amount, rolling seconds, TTL ms
-- last KEYS: the generation marker; last ARGV: the caller's generation (see lib.lua)
-- Returns {used_1, reserved_1, ...}: each actual's counter afterwards.
local now, id, prefix = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local nowSec = math.floor(now / 1000)
local n = (#KEYS - 3) / 2
local record, done = KEYS[1], KEYS[2]
if not sameGeneration() then return generationError() end

redis.call('ZREMRANGEBYSCORE', done, '-inf', '(' .. (now - tonumber(ARGV[4])))
if not redis.call('ZSCORE', done, id) then
  local held, admitted = false, nil
  local fields = redis.call('HGETALL', record)
  for j = 1, #fields, 2 do
    local f = fields[j]
    if f == '@s' then
      admitted = tonumber(fields[j + 1])
    else
      local untilMs = drop(prefix .. 'c:' .. f, prefix .. 'z:' .. f, id)
      if untilMs and untilMs > now then held = true end
    end
  end
  -- Use counts at the second the request was admitted while its hold was in force (as in memory).
  local sec = (held and admitted) or nowSec
  for i = 1, n do
    local ck, a = KEYS[1 + 2 * i], 4 + 3 * (i - 1)
    local amount, rolling = ARGV[a + 1], tonumber(ARGV[a + 2])
    if amount ~= '0' then
      made(ck, rolling, tonumber(ARGV[a + 3]))
      addUse(ck, rolling, sec, nowSec, amount)
    end
  end
  redis.call('DEL', record)
  redis.call('ZADD', done, now, id)
end

local out = {}
for i = 1, n do
  local u, r = state(KEYS[1 + 2 * i], tonumber(ARGV[4 + 3 * (i - 1) + 2]), nowSec)
  out[#out + 1] = u
  out[#out + 1] = r
end
return out
