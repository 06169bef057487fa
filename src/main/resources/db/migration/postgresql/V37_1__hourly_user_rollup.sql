-- Who spent, per person and whole UTC hour: org, team and user only. The console's "My usage" user
-- list and any report grouped or filtered by user read this instead of the ledger (no other rollup
-- keeps the user): at ten million rows a month's spend per person took seconds from the ledger.
-- Same key spelling as V32; kept in the ledger transaction by store/sql/RollupWriter; the rows
-- already there are summed in by the Java migration 37.2.
CREATE TABLE usage_rollup_user_hour (
  bucket_start_ns bigint NOT NULL,
  dims_key text NOT NULL,
  org text,
  team text,
  user_name text,
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
