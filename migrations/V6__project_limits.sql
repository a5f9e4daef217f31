-- A project's share of the Python runtime, where an instance administrator has set one; a missing row or
-- a null column means the server's default (coco.runtime.*).
CREATE TABLE project_limits (
    project_id       uuid        PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    concurrent_calls integer     CHECK (concurrent_calls BETWEEN 1 AND 256),
    queued_calls     integer     CHECK (queued_calls BETWEEN 0 AND 10000),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
