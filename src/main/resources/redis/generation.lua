-- Publish a rebuilt generation: only the replica that still holds the rebuild lock may write the
-- marker, so one rebuild — not two racing ones — defines the counters after Redis lost its data.
-- KEYS[1] the rebuild lock   KEYS[2] the generation marker   ARGV[1] the lock's owner   ARGV[2] the new generation
-- Returns 1 if published (and the lock released), 0 if the lock is no longer this owner's.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
return 1
