-- Execution records are written thousands a second; retention prunes by age across projects and
-- rows arrive in time order, so a BRIN index on created_at does that job at next to no cost.
-- V1 as it landed already has it; databases made by an earlier draft of V1 have a btree on
-- (project_id, created_at) instead, which this replaces. Safe to run on either.
DROP INDEX IF EXISTS executions_by_time;
CREATE INDEX IF NOT EXISTS executions_age ON executions USING brin (created_at);
