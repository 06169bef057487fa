-- The use-case registry: each workflow (the name requests carry in X-Tollgate-Workflow) with its
-- owner, purpose, KPI, expected monthly value (nano-USD) and stage (experiment, production, retired).
CREATE TABLE workflows (
  name                  text    NOT NULL PRIMARY KEY,
  owner                 text,
  purpose               text,
  kpi                   text,
  expected_value_nanos  bigint,
  stage                 text    NOT NULL,
  team                  text,
  created_at_ns         bigint  NOT NULL,
  updated_at_ns         bigint  NOT NULL
);
