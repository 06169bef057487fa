-- Token efficiency (issue 12). Per ledger row: what a response-cache hit saved (nano-USD), the
-- prompt template the caller named, fingerprints of the prompt (SHA-256, never the text) for the
-- duplicate, retry-chain and shared-prefix reports, and the max_tokens the request asked for.
ALTER TABLE ledger ADD COLUMN cost_saved_nanos bigint NOT NULL DEFAULT 0;
ALTER TABLE ledger ADD COLUMN template text;
ALTER TABLE ledger ADD COLUMN prompt_hash text;
ALTER TABLE ledger ADD COLUMN prefix_hash text;
ALTER TABLE ledger ADD COLUMN max_tokens bigint;

-- The prompt template library (admin API /admin/v1/templates).
CREATE TABLE prompt_templates (
  name           text    NOT NULL PRIMARY KEY,
  workload_class text,
  description    text,
  body           text    NOT NULL,
  expected_output_tokens bigint NOT NULL DEFAULT 0,
  created_at_ns  bigint  NOT NULL,
  created_by     text
);
