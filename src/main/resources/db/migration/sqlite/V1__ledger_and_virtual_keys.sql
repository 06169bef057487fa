-- The usage ledger: one row per request, whether served, blocked or failed.
-- Instants are epoch nanoseconds (UTC) in a 64-bit integer, so a java.time.Instant round-trips
-- exactly (a long of nanos spans the years 1677-2262). Money is nano-USD, summed exactly.
-- tags is a JSON object of strings ({"env":"prod"}); filter or group with json_each(tags).
CREATE TABLE ledger (
  id                  TEXT    NOT NULL PRIMARY KEY,
  started_at_ns       INTEGER NOT NULL,
  ended_at_ns         INTEGER,
  key_name            TEXT,
  org                 TEXT,
  team                TEXT,
  project             TEXT,
  workflow            TEXT,
  agent               TEXT,
  user_name           TEXT,
  channel             TEXT,
  conversation        TEXT,
  workload_class      TEXT,
  tags                TEXT    NOT NULL DEFAULT '{}',
  provider            TEXT,
  requested_model     TEXT,
  served_model        TEXT,
  tier                TEXT,
  route_reason        TEXT,
  input_tokens        INTEGER NOT NULL,
  cached_input_tokens INTEGER NOT NULL,
  cache_write_tokens  INTEGER NOT NULL,
  output_tokens       INTEGER NOT NULL,
  reasoning_tokens    INTEGER NOT NULL,
  cost_nanos          INTEGER NOT NULL,
  status              TEXT    NOT NULL,
  error_code          TEXT,
  http_status         INTEGER NOT NULL,
  latency_ms          INTEGER NOT NULL,
  ttft_ms             INTEGER,
  exception_id        TEXT,
  cache_hit           INTEGER NOT NULL,
  usage_estimated     INTEGER NOT NULL,
  stream              INTEGER NOT NULL
) STRICT;

CREATE INDEX ledger_started_at ON ledger (started_at_ns);
CREATE INDEX ledger_team_started_at ON ledger (team, started_at_ns);

-- Virtual keys made through the admin API. Only the SHA-256 of a secret is stored.
-- Attribution defaults are columns (tags as a JSON object); allowed_models is a JSON array.
CREATE TABLE virtual_keys (
  id              TEXT    NOT NULL PRIMARY KEY,
  name            TEXT    NOT NULL UNIQUE,
  secret_hash     TEXT    NOT NULL UNIQUE,
  secret_prefix   TEXT,
  org             TEXT,
  team            TEXT,
  project         TEXT,
  workflow        TEXT,
  agent           TEXT,
  user_name       TEXT,
  channel         TEXT,
  conversation    TEXT,
  workload_class  TEXT,
  tags            TEXT    NOT NULL DEFAULT '{}',
  allowed_models  TEXT    NOT NULL DEFAULT '[]',
  created_at_ns   INTEGER,
  expires_at_ns   INTEGER,
  revoked_at_ns   INTEGER,
  source          TEXT
) STRICT;
