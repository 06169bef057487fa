-- The month x team x model rollup again, per whole UTC hour instead of per quarter hour: about a
-- quarter of the rows, which is what brings the month x team x model report under a second at ten
-- million ledger rows (docs/performance.md). Same columns and key spelling as
-- usage_rollup_team_model (V32); kept in the same ledger transaction by store/sql/RollupWriter. Local
-- hours, days and months of whole-hour zones are unions of these buckets; half- and quarter-hour
-- zones (Asia/Kolkata, Asia/Kathmandu) keep reading usage_rollup_team_model. The ledger rows already
-- there are summed in by the Java migration 36.1 (RollupBackfill).
CREATE TABLE usage_rollup_team_model_hour (
  bucket_start_ns bigint NOT NULL,
  dims_key text NOT NULL,
  org text,
  team text,
  provider text,
  served_model text,
  tier text,
  status text,
  requests bigint NOT NULL,
  input_tokens bigint NOT NULL,
  cached_input_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL,
  cost_nanos bigint NOT NULL,
  latency_ms bigint NOT NULL,
  PRIMARY KEY (bucket_start_ns, dims_key)
);
