-- Hooks on data events (docs/hooks.md; issue 16 §2): a function subscribed to documents.create|update|delete of
-- one collection or of all, run after the write (asynchronously, from an outbox) or before it (synchronously).

-- A hook run is an execution with trigger 'hook'. 'schedule' (V19) is listed too, so this file never takes the
-- schedules' trigger away, with or without V19 before it.
ALTER TABLE executions DROP CONSTRAINT IF EXISTS executions_trigger_check;
-- NOT VALID: the rows already there met the narrower check; no scan of a large table under its lock
ALTER TABLE executions ADD CONSTRAINT executions_trigger_check
    CHECK (trigger IN ('http', 'async', 'test', 'route', 'schedule', 'hook')) NOT VALID;

CREATE TABLE hooks (
    project_id  uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id          uuid        NOT NULL,
    function_id uuid        NOT NULL,
    -- null: every collection of the project
    collection  text,
    -- 'after': run later, at least once, in order per document; 'before': run in the write, may change or refuse it
    timing      text        NOT NULL CHECK (timing IN ('before', 'after')),
    -- e.g. {documents.create, documents.update}
    events      text[]      NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, function_id) REFERENCES functions (project_id, id) ON DELETE CASCADE
);
CREATE INDEX hooks_by_function ON hooks (project_id, function_id);

-- The outbox: one row per (after-hook, event), inserted in the transaction of the write, so a committed write's
-- events survive a crash. A row is dispatched (execution_id set: an async call with trigger 'hook') only when every
-- earlier row of its hook and document has finished, which keeps one document's events in order. A row goes when
-- its call has ended.
CREATE TABLE hook_events (
    project_id   uuid        NOT NULL,
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    hook_id      uuid        NOT NULL,
    -- collection/document id: the order of events is kept per document
    document_key text        NOT NULL,
    event        jsonb       NOT NULL,
    execution_id uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, hook_id) REFERENCES hooks (project_id, id) ON DELETE CASCADE
);
CREATE INDEX hook_events_by_document ON hook_events (project_id, hook_id, document_key, id);
CREATE INDEX hook_events_by_execution ON hook_events (project_id, execution_id) WHERE execution_id IS NOT NULL;
CREATE INDEX hook_events_waiting ON hook_events (project_id, id) WHERE execution_id IS NULL;

-- A deleted function drops its waiting hook calls as it drops its async calls (V13) and scheduled runs (V19, whose
-- version of this function differs from this one only by 'hook'): same task, same record shape.
CREATE OR REPLACE FUNCTION drop_async_calls_of_function() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM scheduled_tasks WHERE task_name = 'async-invocation'
        AND task_instance LIKE OLD.project_id::text || '/' || OLD.id::text || '/%';
    DELETE FROM executions WHERE project_id = OLD.project_id AND function_id = OLD.id
        AND trigger IN ('async', 'schedule', 'hook') AND status IN ('queued', 'running');
    RETURN OLD;
END $$;

-- CocoBase's collection webhooks (docs/hooks.md#collection-webhooks): a URL per collection, POSTed each document
-- event with an HMAC-SHA256 signature under the collection's own secret.
CREATE TABLE collection_webhooks (
    project_id uuid        NOT NULL,
    collection text        NOT NULL,
    url        text        NOT NULL,
    -- the HMAC key: shown when made, readable by the project's admins (the receiver needs the same value)
    secret     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, collection),
    FOREIGN KEY (project_id, collection) REFERENCES collections (project_id, name) ON DELETE CASCADE
);

-- One row per event and webhook, inserted in the write's transaction; a node claims due rows (SKIP LOCKED, with a
-- lease in next_attempt_at) and POSTs them, retrying with doubling delays.
CREATE TABLE webhook_deliveries (
    project_id      uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    collection      text        NOT NULL,
    url             text        NOT NULL,
    -- the exact bytes POSTed and signed
    body            text        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status     int,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    PRIMARY KEY (project_id, id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_collection ON webhook_deliveries (project_id, collection, id);
