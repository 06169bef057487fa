-- The audit log (issue 6): every control-plane change, append-only, each row chained to the one
-- before by a SHA-256 hash (see dev.tollgate.domain.audit.AuditChain). before_json and after_json are
-- TEXT, not JSON columns, so that the bytes hashed are the bytes kept.
CREATE TABLE audit_log (
  seq           INTEGER NOT NULL PRIMARY KEY,
  at_ns         INTEGER NOT NULL,
  actor         TEXT    NOT NULL,
  actor_role    TEXT,
  method        TEXT    NOT NULL,
  route         TEXT    NOT NULL,
  resource_type TEXT,
  resource_id   TEXT,
  before_json   TEXT,
  after_json    TEXT,
  prev_hash     TEXT    NOT NULL,
  hash          TEXT    NOT NULL UNIQUE
) STRICT;

CREATE INDEX audit_log_at ON audit_log (at_ns);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id, seq);

-- Append-only for the gateway and anyone using the database casually. Whoever drops these triggers
-- to edit a row is still caught by `tollgate audit verify`.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
