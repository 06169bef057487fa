-- Exceptions to cost policy (requested, approved, denied, revoked; active and expired follow from the clock).
-- Kept as one JSON document per exception: read whole, at start-up and on change.
CREATE TABLE budget_exceptions (
  id            VARCHAR(64) PRIMARY KEY,
  document      TEXT        NOT NULL,
  created_at_ns BIGINT      NOT NULL,
  updated_at_ns BIGINT      NOT NULL
);
