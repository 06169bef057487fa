-- The use-case registry: each workflow (the name requests carry in X-Tollgate-Workflow) with its
-- owner, purpose, KPI, expected monthly value (nano-USD) and stage (experiment, production, retired).
CREATE TABLE workflows (
  name                  TEXT    NOT NULL PRIMARY KEY,
  owner                 TEXT,
  purpose               TEXT,
  kpi                   TEXT,
  expected_value_nanos  INTEGER,
  stage                 TEXT    NOT NULL,
  team                  TEXT,
  created_at_ns         INTEGER NOT NULL,
  updated_at_ns         INTEGER NOT NULL
) STRICT;
