-- Alert history (one row per incident, updated as it is triggered again, acknowledged or resolved)
-- and the restrictions alerts put on keys, agents and workflows until acknowledged.
-- last_sent_at_ns is the cooldown's start, so a restart does not send an open incident again.
CREATE TABLE alerts (
  id              TEXT PRIMARY KEY,
  kind            TEXT    NOT NULL,
  subject         TEXT    NOT NULL,
  team            TEXT,
  user_name       TEXT,
  severity        TEXT    NOT NULL,
  message         TEXT    NOT NULL,
  first_at_ns     BIGINT  NOT NULL,
  last_at_ns      BIGINT  NOT NULL,
  triggers        BIGINT  NOT NULL,
  state           TEXT    NOT NULL,
  acted_by        TEXT,
  action          TEXT,
  last_sent_at_ns BIGINT 
);
CREATE INDEX alerts_newest ON alerts (first_at_ns DESC, id DESC);
CREATE INDEX alerts_state ON alerts (state);

CREATE TABLE alert_restrictions (
  subject    TEXT PRIMARY KEY,
  kind       TEXT    NOT NULL,
  per_minute BIGINT  NOT NULL,
  alert_id   TEXT    NOT NULL,
  reason     TEXT    NOT NULL,
  since_ns   BIGINT  NOT NULL
);
