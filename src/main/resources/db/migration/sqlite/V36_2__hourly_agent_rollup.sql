-- Who spent, per whole UTC hour: team, project, workflow, agent, workload class and key only. The
-- console's top workflows and agents and chargeback's team x agent read this instead of
-- usage_rollup_attribution (V32), which also keeps model, channel, status, route reason and the rest
-- and is several times larger. Same key spelling as V32; kept in the ledger transaction by
-- store/sql/RollupWriter; the rows already there are summed in by the Java migration 36.3.
CREATE TABLE usage_rollup_agent_hour (
  bucket_start_ns INTEGER NOT NULL,
  dims_key TEXT NOT NULL,
  org TEXT,
  team TEXT,
  project TEXT,
  workflow TEXT,
  agent TEXT,
  workload_class TEXT,
  key_name TEXT,
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
