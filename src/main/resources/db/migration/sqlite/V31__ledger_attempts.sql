-- Upstream calls made for a request: the first, its retries and its fallbacks (0 when no provider
-- was called). Rows written before this column existed read as 0.
ALTER TABLE ledger ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
