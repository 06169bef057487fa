-- Why a request got its workload class (header, key, rule:N, org_default, none), and how many
-- guardrail findings its prompt had by type ("email=2,payment_card=1"; never the values).
ALTER TABLE ledger ADD COLUMN class_reason VARCHAR(64);
ALTER TABLE ledger ADD COLUMN guard_findings VARCHAR(512);
