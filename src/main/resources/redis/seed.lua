-- Seed: use rebuilt from the ledger at start-up, added only to a counter Redis does not have yet.
-- Many replicas share these counters, and each rebuilds at start-up: if Redis already holds a
-- counter, it already holds every use since that counter began (a rebuild by the replica that
-- created it, then live traffic), so adding the ledger's sum again would count it twice. The first
-- rebuild to reach an absent counter claims it with its token (replica + rebuild instant); further
-- seeds of the same rebuild (the ledger gives one row per status) still add, any other rebuild's are
-- dropped. Each seed has an id, so a seed repeated after a lost reply adds nothing.
-- KEYS[1] counter hash   ARGV[1] amount   ARGV[2] second of the use   ARGV[3] rolling seconds
-- ARGV[4] TTL ms   ARGV[5] the rebuild's token   ARGV[6] the seed's id
-- Returns 1 if the use counts (added now or before), 0 if the counter was already there.
local ck, token = KEYS[1], ARGV[5]
if redis.call('EXISTS', ck) == 1 and redis.call('HGET', ck, '@seed') ~= token then return 0 end
if redis.call('HSETNX', ck, 'i:' .. ARGV[6], '1') == 0 then return 1 end
local sec, rolling = tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('HSET', ck, '@seed', token)
made(ck, rolling, tonumber(ARGV[4]))
addUse(ck, rolling, sec, sec, ARGV[1])
return 1
