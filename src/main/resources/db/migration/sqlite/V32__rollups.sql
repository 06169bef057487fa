-- Rollups: ledger sums per 15-minute UTC bucket and per value of a fixed set of dimensions, kept
-- in the transaction that inserts the ledger rows (store/sql/RollupWriter), so they reconcile with
-- the ledger exactly. bucket_start_ns is the bucket's start in epoch nanoseconds (UTC); a quarter
-- hour divides every UTC offset in use, so local hours, days, weeks and months are unions of buckets.
-- dims_key spells every dimension value (NULL as '~', a value as '=' and the value with '\' and '|'
-- escaped, joined by '|'): a unique key that, unlike the columns themselves, treats NULL as a value.
-- The rows already in the ledger are summed in by the Java migration 32.1 (RollupBackfill).

-- The month x team x model report and whatever else groups or filters only on these columns.
CREATE TABLE usage_rollup_team_model (
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

-- Reports by attribution (chargeback's team x agent, top-N workflows, agents, keys...).
CREATE TABLE usage_rollup_attribution (
  bucket_start_ns INTEGER NOT NULL,
  dims_key TEXT NOT NULL,
  org TEXT,
  team TEXT,
  project TEXT,
  workflow TEXT,
  agent TEXT,
  channel TEXT,
  workload_class TEXT,
  key_name TEXT,
  provider TEXT,
  requested_model TEXT,
  served_model TEXT,
  tier TEXT,
  status TEXT,
  route_reason TEXT,
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
