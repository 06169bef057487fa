-- Release: drop the holds of a reservation that used nothing. Idempotent; a settled one is left alone,
-- and a reservation arriving after its release (a late copy) is refused (see reserve).
-- KEYS[1] the reservation's record   KEYS[2] the done set   ARGV[1] reservation id   ARGV[2] key prefix   ARGV[3] now ms
local id, prefix = ARGV[1], ARGV[2]
if redis.call('ZSCORE', KEYS[2], id) then return 0 end
local fields = redis.call('HGETALL', KEYS[1])
for j = 1, #fields, 2 do
  local f = fields[j]
  if f ~= '@s' then drop(prefix .. 'c:' .. f, prefix .. 'z:' .. f, id) end
end
redis.call('DEL', KEYS[1])
redis.call('ZADD', KEYS[2], ARGV[3], id)
return 1
