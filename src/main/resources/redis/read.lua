-- Read: a counter's use and holds now. KEYS[1] counter hash, KEYS[2] hold set.
-- ARGV[1] now ms, ARGV[2] rolling seconds (-1 = as the counter says). Returns {used, reserved}.
local now, rolling = tonumber(ARGV[1]), tonumber(ARGV[2])
if rolling < 0 then rolling = tonumber(redis.call('HGET', KEYS[1], '@r')) or 0 end
clean(KEYS[1], KEYS[2], now)
local u, r = state(KEYS[1], rolling, math.floor(now / 1000))
return {u, r}
