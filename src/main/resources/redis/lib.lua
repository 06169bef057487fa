-- Tollgate counters: helpers prepended to every script (see docs/scale-out.md for the key layout).
--
-- Exact integers. Redis keeps counter values as 64-bit integers (HINCRBY), but Lua numbers are
-- doubles, exact only up to 2^53, and nano-USD amounts go past that (9,007,199 USD). So the one place
-- a script adds and compares values (the limit check) holds them as {high, low} pairs in base 1e9,
-- exact over the whole 64-bit range; values go back to Java as decimal strings.
--
-- Time. Every script takes the caller's "now" (epoch milliseconds) as an argument and never reads
-- Redis's clock: holds lapse, and rolling windows roll, at the instants the gateway passes in. Key TTLs
-- are computed by the gateway from those instants; they are garbage collection, never what decides
-- whether a hold is in force or a use still counts.
--
-- Cost. Scripts run one at a time on the Redis server, so each does a handful of O(1) commands per
-- budget: no scan of a window, no loop over holds that have not lapsed.

local BASE = 1000000000

local function num(s)
  if not s then return {0, 0} end
  s = tostring(s)
  local n = string.len(s)
  if string.sub(s, 1, 1) == '-' or n <= 9 then return {0, tonumber(s)} end
  return {tonumber(string.sub(s, 1, n - 9)), tonumber(string.sub(s, n - 8))}
end

local function plus(a, b)
  local hi, lo = a[1] + b[1], a[2] + b[2]
  if lo >= BASE then hi, lo = hi + 1, lo - BASE end
  return {hi, lo}
end

local function above(a, b)
  return a[1] > b[1] or (a[1] == b[1] and a[2] > b[2])
end

local function str(a)
  if a[1] == 0 then return string.format('%d', a[2]) end
  return string.format('%d%09d', a[1], a[2])
end

-- Takes a decimal amount off a hash field (amounts are never negative).
local function minus(key, field, amount)
  if amount and amount ~= '0' then redis.call('HINCRBY', key, field, '-' .. amount) end
end

-- Marks a counter hash with its kind (rolling seconds) and, when this call made it, gives it its TTL.
local function made(ck, rolling, ttl)
  if redis.call('HSETNX', ck, '@r', rolling) == 1 and ttl > 0 then redis.call('PEXPIRE', ck, ttl) end
end

-- Drops one hold from a counter: its amount leaves 'reserved'. Returns the hold's holdUntil, or nil.
local function drop(ck, zk, id)
  local untilMs = redis.call('ZSCORE', zk, id)
  if not untilMs then return nil end
  redis.call('ZREM', zk, id)
  local f = 'h:' .. id
  minus(ck, 'reserved', redis.call('HGET', ck, f))
  redis.call('HDEL', ck, f)
  return tonumber(untilMs)
end

-- Lets the holds whose holdUntil is at or before now lapse (a crashed replica's holds).
local function clean(ck, zk, now)
  local gone = redis.call('ZRANGEBYSCORE', zk, '-inf', now)
  for _, id in ipairs(gone) do drop(ck, zk, id) end
end

-- A rolling counter keeps its use per second (field s<second>) and their sum in 'used'; 'lo' is the
-- oldest second that may still have a field. Rolling to nowSec takes the seconds at or before
-- nowSec - rolling out of the sum: usually one field, so a read costs O(1), not a scan of the window.
local function roll(ck, rolling, nowSec)
  local lo = tonumber(redis.call('HGET', ck, 'lo'))
  local edge = nowSec - rolling
  if not lo or lo > edge then return end
  if edge - lo > 4 * rolling then
    local all = redis.call('HGETALL', ck) -- idle for minutes: look at the fields there are
    for j = 1, #all, 2 do
      local sec = string.sub(all[j], 1, 1) == 's' and tonumber(string.sub(all[j], 2))
      if sec and sec <= edge then
        minus(ck, 'used', all[j + 1])
        redis.call('HDEL', ck, all[j])
      end
    end
  else
    for sec = lo, edge do
      local f = 's' .. sec
      local v = redis.call('HGET', ck, f)
      if v then
        minus(ck, 'used', v)
        redis.call('HDEL', ck, f)
      end
    end
  end
  redis.call('HSET', ck, 'lo', edge + 1)
end

-- A counter's {used, reserved} at second nowSec, as decimal strings.
local function state(ck, rolling, nowSec)
  if rolling > 0 then roll(ck, rolling, nowSec) end
  local v = redis.call('HMGET', ck, 'used', 'reserved')
  return v[1] or '0', v[2] or '0'
end

-- Adds use (a decimal string) at second sec; use already outside the window is not kept.
local function addUse(ck, rolling, sec, nowSec, amount)
  if amount == '0' then return end
  if rolling > 0 then
    if sec <= nowSec - rolling then return end
    redis.call('HINCRBY', ck, 's' .. sec, amount)
    local lo = tonumber(redis.call('HGET', ck, 'lo'))
    if not lo or sec < lo then redis.call('HSET', ck, 'lo', sec) end
  end
  redis.call('HINCRBY', ck, 'used', amount)
end


-- Generation. The last key (KEYS[#KEYS]) of reserve and settle is the marker the last rebuild of the
-- counters wrote, the last argument the generation the calling replica acts under. A Redis that lost
-- its data (restarted without persistence, flushed, failed over to an empty replica) has no marker, or
-- another replica's newer one: the script then changes nothing and answers an error, so that no
-- reservation ever counts from zero. An empty argument means the caller does not check (tests).
local function sameGeneration()
  local want = ARGV[#ARGV]
  if want == '' then return true end
  return redis.call('GET', KEYS[#KEYS]) == want
end

local function generationError()
  local have = redis.call('GET', KEYS[#KEYS])
  return redis.error_reply('TOLLGATE_GENERATION the counters hold generation ' .. (have or 'none') .. ', not ' .. ARGV[#ARGV])
end
