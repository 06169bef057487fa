-- Business outcomes (tickets resolved, deals closed) set against AI cost: count and total value
-- (nano-USD) of one type, attributed to a workflow, agent and/or team, at an instant (epoch nanos).
CREATE TABLE outcomes (
  id              TEXT    NOT NULL PRIMARY KEY,
  type            TEXT    NOT NULL,
  count           INTEGER NOT NULL,
  value_nanos     INTEGER NOT NULL,
  workflow        TEXT,
  agent           TEXT,
  team            TEXT,
  at_ns           INTEGER NOT NULL,
  recorded_at_ns  INTEGER NOT NULL,
  note            TEXT
) STRICT;

CREATE INDEX outcomes_at ON outcomes (at_ns);
CREATE INDEX outcomes_workflow_at ON outcomes (workflow, at_ns);
