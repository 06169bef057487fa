-- Business outcomes (tickets resolved, deals closed) set against AI cost: count and total value
-- (nano-USD) of one type, attributed to a workflow, agent and/or team, at an instant (epoch nanos).
CREATE TABLE outcomes (
  id              text    NOT NULL PRIMARY KEY,
  type            text    NOT NULL,
  count           bigint  NOT NULL,
  value_nanos     bigint  NOT NULL,
  workflow        text,
  agent           text,
  team            text,
  at_ns           bigint  NOT NULL,
  recorded_at_ns  bigint  NOT NULL,
  note            text
);

CREATE INDEX outcomes_at ON outcomes (at_ns);
CREATE INDEX outcomes_workflow_at ON outcomes (workflow, at_ns);
