-- Workload classes made through the admin API (classes written in the config file live there).
-- Each is kept as the JSON body it was made from, with the config file's keys: it is validated again
-- against the running config's models whenever it is loaded.
CREATE TABLE workload_classes (
  name          VARCHAR(64) PRIMARY KEY,
  document      TEXT        NOT NULL,
  created_at_ns BIGINT      NOT NULL,
  updated_at_ns BIGINT      NOT NULL
);
