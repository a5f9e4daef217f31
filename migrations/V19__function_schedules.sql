-- Scheduled functions (docs/schedules.md; issue 16 §1): a function's cron schedules. Each tick is a db-scheduler
-- task instance 'function-schedule' / '{project_id}/{function_id}/{schedule_id}' in scheduled_tasks (V13), claimed
-- by one node; it stores the run as an executions row (trigger 'schedule') and hands it to the async queue.

CREATE TABLE function_schedules (
    project_id        uuid        NOT NULL,
    id                uuid        NOT NULL,
    function_id       uuid        NOT NULL,
    -- Spring's CronExpression: six fields (second first) or a macro such as @hourly
    cron              text        NOT NULL,
    -- IANA zone the cron expression is read in
    time_zone         text        NOT NULL DEFAULT 'UTC',
    -- the request body of every run (JSON)
    payload           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    enabled           boolean     NOT NULL DEFAULT true,
    -- a tick found late (the server was down): run it once at start, or skip it
    missed_ticks      text        NOT NULL DEFAULT 'run_once' CHECK (missed_ticks IN ('run_once', 'skip')),
    next_run_at       timestamptz,
    last_run_at       timestamptz,
    last_execution_id uuid,
    last_status       text,
    runs              bigint      NOT NULL DEFAULT 0,
    failures          bigint      NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, id),
    -- a deleted function (and so a deleted project) takes its schedules with it
    FOREIGN KEY (project_id, function_id) REFERENCES functions (project_id, id) ON DELETE CASCADE
);
CREATE INDEX function_schedules_by_function ON function_schedules (project_id, function_id);

ALTER TABLE executions DROP CONSTRAINT executions_trigger_check;
-- NOT VALID: the rows already there met the narrower check; no scan of a large table under its lock
ALTER TABLE executions ADD CONSTRAINT executions_trigger_check
    CHECK (trigger IN ('http', 'async', 'test', 'route', 'schedule')) NOT VALID;
ALTER TABLE executions
    ADD COLUMN schedule_id   uuid,
    -- the tick a run belongs to
    ADD COLUMN scheduled_for timestamptz;
-- One run per tick, whatever happens: a tick whose node died after storing its run and is run again by another
-- node finds its run there. Also lists a schedule's runs, newest first (read backwards).
CREATE UNIQUE INDEX executions_one_per_tick ON executions (project_id, schedule_id, scheduled_for)
    WHERE schedule_id IS NOT NULL;

-- A deleted schedule (also through its function or project) drops its task at once, on every node, in the
-- transaction that deletes it; a tick running then finds its row gone and stops there.
CREATE FUNCTION drop_schedule_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM scheduled_tasks WHERE task_name = 'function-schedule'
        AND task_instance = OLD.project_id::text || '/' || OLD.function_id::text || '/' || OLD.id::text;
    RETURN OLD;
END $$;
CREATE TRIGGER function_schedules_drop_task AFTER DELETE ON function_schedules
    FOR EACH ROW EXECUTE FUNCTION drop_schedule_task();

-- A scheduled run's final status reaches its schedule (last_status of the latest run, failures counted), whichever
-- node ran it and however many attempts it took.
CREATE FUNCTION note_schedule_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE function_schedules
       SET last_status = CASE WHEN last_execution_id = NEW.id THEN NEW.status ELSE last_status END,
           failures = failures + CASE WHEN NEW.status IN ('error', 'timeout') THEN 1 ELSE 0 END
     WHERE project_id = NEW.project_id AND id = NEW.schedule_id;
    RETURN NULL;
END $$;
CREATE TRIGGER executions_note_schedule_run AFTER UPDATE OF status ON executions
    FOR EACH ROW WHEN (NEW.schedule_id IS NOT NULL AND NEW.status IS DISTINCT FROM OLD.status
                       AND NEW.status IN ('running', 'success', 'error', 'timeout'))
    EXECUTE FUNCTION note_schedule_run();

-- A deleted function drops its scheduled runs that wait, as it drops its waiting async calls (V13).
CREATE OR REPLACE FUNCTION drop_async_calls_of_function() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM scheduled_tasks WHERE task_name = 'async-invocation'
        AND task_instance LIKE OLD.project_id::text || '/' || OLD.id::text || '/%';
    DELETE FROM executions WHERE project_id = OLD.project_id AND function_id = OLD.id
        AND trigger IN ('async', 'schedule') AND status IN ('queued', 'running');
    RETURN OLD;
END $$;
