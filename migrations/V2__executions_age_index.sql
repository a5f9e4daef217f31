-- Execution records are written thousands a second; the btree on (project_id, created_at)
-- cost every write and served only retention, which prunes by age across projects. Rows
-- arrive in time order, so a BRIN index on created_at does that job at next to no cost.
DROP INDEX executions_by_time;
CREATE INDEX executions_age ON executions USING brin (created_at);
