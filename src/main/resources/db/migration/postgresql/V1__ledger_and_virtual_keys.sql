-- The usage ledger: one row per request, whether served, blocked or failed.
-- Instants are epoch nanoseconds (UTC) in a bigint, so a java.time.Instant round-trips exactly
-- (a bigint of nanos spans the years 1677-2262); to read one: to_timestamp(started_at_ns / 1e9).
-- Money is nano-USD, summed exactly. tags is a jsonb object of strings: tags ->> 'env'.
CREATE TABLE ledger (
  id                  text    NOT NULL PRIMARY KEY,
  started_at_ns       bigint  NOT NULL,
  ended_at_ns         bigint,
  key_name            text,
  org                 text,
  team                text,
  project             text,
  workflow            text,
  agent               text,
  user_name           text,
  channel             text,
  conversation        text,
  workload_class      text,
  tags                jsonb   NOT NULL DEFAULT '{}'::jsonb,
  provider            text,
  requested_model     text,
  served_model        text,
  tier                text,
  route_reason        text,
  input_tokens        bigint  NOT NULL,
  cached_input_tokens bigint  NOT NULL,
  cache_write_tokens  bigint  NOT NULL,
  output_tokens       bigint  NOT NULL,
  reasoning_tokens    bigint  NOT NULL,
  cost_nanos          bigint  NOT NULL,
  status              text    NOT NULL,
  error_code          text,
  http_status         integer NOT NULL,
  latency_ms          bigint  NOT NULL,
  ttft_ms             bigint,
  exception_id        text,
  cache_hit           boolean NOT NULL,
  usage_estimated     boolean NOT NULL,
  stream              boolean NOT NULL
);

CREATE INDEX ledger_started_at ON ledger (started_at_ns);
CREATE INDEX ledger_team_started_at ON ledger (team, started_at_ns);

-- Virtual keys made through the admin API. Only the SHA-256 of a secret is stored.
-- Attribution defaults are columns (tags as a jsonb object); allowed_models is a jsonb array.
CREATE TABLE virtual_keys (
  id              text    NOT NULL PRIMARY KEY,
  name            text    NOT NULL UNIQUE,
  secret_hash     text    NOT NULL UNIQUE,
  secret_prefix   text,
  org             text,
  team            text,
  project         text,
  workflow        text,
  agent           text,
  user_name       text,
  channel         text,
  conversation    text,
  workload_class  text,
  tags            jsonb   NOT NULL DEFAULT '{}'::jsonb,
  allowed_models  jsonb   NOT NULL DEFAULT '[]'::jsonb,
  created_at_ns   bigint,
  expires_at_ns   bigint,
  revoked_at_ns   bigint,
  source          text
);
