-- Outcomes sent on a data-plane request (X-Tollgate-Outcome) are attributed like the request: its user
-- and virtual key as well as workflow, agent and team, and the request id they came with.
ALTER TABLE outcomes ADD COLUMN user_name TEXT;
ALTER TABLE outcomes ADD COLUMN key_name TEXT;
ALTER TABLE outcomes ADD COLUMN request_id TEXT;
