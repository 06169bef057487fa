-- One person's rows of a period, read in order: the counterfactual report for a user (the console's
-- "My usage") reads only them instead of every row of the period (docs/reports.md).
CREATE INDEX ledger_user_started_at ON ledger (user_name, started_at_ns);
