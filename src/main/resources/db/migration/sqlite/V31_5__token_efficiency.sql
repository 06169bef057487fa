-- Token efficiency (issue 12). Per ledger row: what a response-cache hit saved (nano-USD), the
-- prompt template the caller named, fingerprints of the prompt (SHA-256, never the TEXT) for the
-- duplicate, retry-chain and shared-prefix reports, and the max_tokens the request asked for.
ALTER TABLE ledger ADD COLUMN cost_saved_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger ADD COLUMN template TEXT;
ALTER TABLE ledger ADD COLUMN prompt_hash TEXT;
ALTER TABLE ledger ADD COLUMN prefix_hash TEXT;
ALTER TABLE ledger ADD COLUMN max_tokens INTEGER;

-- The prompt template library (admin API /admin/v1/templates).
CREATE TABLE prompt_templates (
  name           TEXT    NOT NULL PRIMARY KEY,
  workload_class TEXT,
  description    TEXT,
  body           TEXT    NOT NULL,
  expected_output_tokens INTEGER NOT NULL DEFAULT 0,
  created_at_ns  INTEGER  NOT NULL,
  created_by     TEXT
);
