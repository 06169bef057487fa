-- Who spent, per person and whole UTC hour: org, team and user only. The console's "My usage" user
-- list and any report grouped or filtered by user read this instead of the ledger (no other rollup
-- keeps the user): at ten million rows a month's spend per person took seconds from the ledger.
-- Same key spelling as V32; kept in the ledger transaction by store/sql/RollupWriter; the rows
-- already there are summed in by the Java migration 37.2.
CREATE TABLE usage_rollup_user_hour (
  bucket_start_ns INTEGER NOT NULL,
  dims_key TEXT NOT NULL,
  org TEXT,
  team TEXT,
  user_name TEXT,
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
