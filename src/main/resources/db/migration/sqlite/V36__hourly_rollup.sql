-- The month x team x model rollup again, per whole UTC hour instead of per quarter hour: about a
-- quarter of the rows, which is what brings the month x team x model report under a second at ten
-- million ledger rows (docs/performance.md). Same columns and key spelling as
-- usage_rollup_team_model (V32); kept in the same ledger transaction by store/sql/RollupWriter. Local
-- hours, days and months of whole-hour zones are unions of these buckets; half- and quarter-hour
-- zones (Asia/Kolkata, Asia/Kathmandu) keep reading usage_rollup_team_model. The ledger rows already
-- there are summed in by the Java migration 36.1 (RollupBackfill).
CREATE TABLE usage_rollup_team_model_hour (
  bucket_start_ns INTEGER NOT NULL,
  dims_key TEXT NOT NULL,
  org TEXT,
  team TEXT,
  provider TEXT,
  served_model TEXT,
  tier TEXT,
  status TEXT,
  requests INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  cached_input_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  PRIMARY KEY (bucket_start_ns, dims_key)
) STRICT, WITHOUT ROWID;
