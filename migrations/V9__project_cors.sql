-- The browser origins allowed to call a project's client API and functions (CORS). No row: any origin, which
-- is safe because the client API authenticates by header (x-api-key, Authorization), never by cookie.
CREATE TABLE project_cors (
    project_id      uuid        PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    allowed_origins text[]      NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
