-- Async invocations (FUNCTION_API.md §2): the call is an executions row (trigger 'async', status queued while it
-- waits) and a db-scheduler task that runs it. Retries per function; every attempt is recorded on the row.

-- How many times a failed or timed-out async call is tried again (Function Compute's default: 3).
ALTER TABLE functions ADD COLUMN async_retries int NOT NULL DEFAULT 3 CHECK (async_retries BETWEEN 0 AND 8);

ALTER TABLE executions
    -- attempts started so far: 1 for a synchronous call; an async call is stored with 0 (a node that died
    -- mid-attempt counts that attempt)
    ADD COLUMN attempts        int NOT NULL DEFAULT 1,
    -- when a queued call waiting for a retry runs next
    ADD COLUMN next_attempt_at timestamptz,
    -- one entry per finished attempt: {attempt, status, http_status, error, started_at, duration_ms}
    ADD COLUMN attempt_history jsonb;

-- db-scheduler's own table (its postgresql_tables.sql for 16.x, unchanged): one row per waiting or running
-- call, claimed by one node at a time (picked, version) and kept alive by that node's heartbeat.
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- A deleted function (and so a deleted project, whose functions go with it) drops its waiting calls at once, on
-- every node, in the transaction that deletes it: the task instance is '{project_id}/{function_id}/{execution_id}'.
CREATE FUNCTION drop_async_calls_of_function() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM scheduled_tasks WHERE task_name = 'async-invocation'
        AND task_instance LIKE OLD.project_id::text || '/' || OLD.id::text || '/%';
    -- a call running now finds its record gone when it ends, and stops there
    DELETE FROM executions WHERE project_id = OLD.project_id AND function_id = OLD.id
        AND trigger = 'async' AND status IN ('queued', 'running');
    RETURN OLD;
END $$;
CREATE TRIGGER functions_drop_async_calls AFTER DELETE ON functions
    FOR EACH ROW EXECUTE FUNCTION drop_async_calls_of_function();
