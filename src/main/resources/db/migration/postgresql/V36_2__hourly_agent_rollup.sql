-- Who spent, per whole UTC hour: team, project, workflow, agent, workload class and key only. The
-- console's top workflows and agents and chargeback's team x agent read this instead of
-- usage_rollup_attribution (V32), which also keeps model, channel, status, route reason and the rest
-- and is several times larger. Same key spelling as V32; kept in the ledger transaction by
-- store/sql/RollupWriter; the rows already there are summed in by the Java migration 36.3.
CREATE TABLE usage_rollup_agent_hour (
  bucket_start_ns bigint NOT NULL,
  dims_key text NOT NULL,
  org text,
  team text,
  project text,
  workflow text,
  agent text,
  workload_class text,
  key_name text,
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
