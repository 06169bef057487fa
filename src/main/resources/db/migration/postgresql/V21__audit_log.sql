-- The audit log (issue 6): every control-plane change, append-only, each row chained to the one
-- before by a SHA-256 hash (see dev.tollgate.domain.audit.AuditChain). before_json and after_json are
-- TEXT, not jsonb, so that the bytes hashed are the bytes kept.
CREATE TABLE audit_log (
  seq           BIGINT  NOT NULL PRIMARY KEY,
  at_ns         BIGINT  NOT NULL,
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
);

CREATE INDEX audit_log_at ON audit_log (at_ns);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id, seq);

-- Append-only for the gateway and anyone using the database casually. Whoever disables these
-- triggers to edit a row is still caught by `tollgate audit verify`.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
