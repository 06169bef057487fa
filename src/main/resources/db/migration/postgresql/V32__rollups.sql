-- Rollups: ledger sums per 15-minute UTC bucket and per value of a fixed set of dimensions, kept
-- in the transaction that inserts the ledger rows (store/sql/RollupWriter), so they reconcile with
-- the ledger exactly. bucket_start_ns is the bucket's start in epoch nanoseconds (UTC); a quarter
-- hour divides every UTC offset in use, so local hours, days, weeks and months are unions of buckets.
-- dims_key spells every dimension value (NULL as '~', a value as '=' and the value with '\' and '|'
-- escaped, joined by '|'): a unique key that, unlike the columns themselves, treats NULL as a value.
-- The rows already in the ledger are summed in by the Java migration 32.1 (RollupBackfill).

-- The month x team x model report and whatever else groups or filters only on these columns.
CREATE TABLE usage_rollup_team_model (
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

-- Reports by attribution (chargeback's team x agent, top-N workflows, agents, keys...).
CREATE TABLE usage_rollup_attribution (
  bucket_start_ns bigint NOT NULL,
  dims_key text NOT NULL,
  org text,
  team text,
  project text,
  workflow text,
  agent text,
  channel text,
  workload_class text,
  key_name text,
  provider text,
  requested_model text,
  served_model text,
  tier text,
  status text,
  route_reason text,
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
