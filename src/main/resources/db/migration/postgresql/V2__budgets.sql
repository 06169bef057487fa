-- Budgets made through the admin API (budgets written in the config file live there).
-- The budget itself is kept as one JSON document: it is read whole, at start-up and on change.
CREATE TABLE budgets (
  id            VARCHAR(64) PRIMARY KEY,
  document      TEXT        NOT NULL,
  created_at_ns BIGINT      NOT NULL,
  updated_at_ns BIGINT      NOT NULL
);
