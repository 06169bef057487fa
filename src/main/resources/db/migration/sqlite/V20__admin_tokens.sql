-- Personal admin tokens (issue 6). Only the SHA-256 of each secret is kept; the secret is shown once.
CREATE TABLE admin_tokens (
  id            TEXT    NOT NULL PRIMARY KEY,
  name          TEXT    NOT NULL UNIQUE,
  secret_hash   TEXT    NOT NULL UNIQUE,
  secret_prefix TEXT    NOT NULL,
  role          TEXT    NOT NULL,
  teams         TEXT    NOT NULL DEFAULT '[]',
  user_name     TEXT,
  created_at_ns INTEGER NOT NULL,
  expires_at_ns INTEGER,
  revoked_at_ns INTEGER,
  created_by    TEXT
) STRICT;
