-- CocoCloud schema, version 1: the whole product.
--
-- Tenancy: every table that holds a project's data has project_id as the first column of its
-- primary key and of every index, and a foreign key to projects that deletes with the project.
-- That keeps tenants apart and lets the tables be distributed by project_id (Citus) later.
-- The few global tables are the tenant roots (projects), console accounts and their tokens,
-- and directories that map a public identifier to its project (small; reference tables).
--
-- Secrets are stored as AES-GCM ciphertext; passwords as BCrypt/Argon2 hashes; API keys and
-- tokens as SHA-256 hashes of high-entropy random values. Times are timestamptz (UTC).

-- ---------------------------------------------------------------- console accounts (global)

CREATE TABLE admin_accounts (
    id             uuid        PRIMARY KEY,
    email          text        NOT NULL,
    password_hash  text        NOT NULL,
    name           text,
    instance_admin boolean     NOT NULL DEFAULT false,
    disabled       boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_login_at  timestamptz
);
CREATE UNIQUE INDEX admin_accounts_email_key ON admin_accounts (lower(email));

-- Personal access tokens for scripts (Authorization: Bearer).
CREATE TABLE admin_tokens (
    id           uuid        PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    token_hash   bytea       NOT NULL UNIQUE,
    prefix       text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    expires_at   timestamptz
);
CREATE INDEX admin_tokens_account ON admin_tokens (account_id);

-- Console sessions (Spring Session JDBC's PostgreSQL schema), so a restart or a second app node
-- keeps people logged in.
CREATE TABLE spring_session (
    primary_id            char(36)     NOT NULL PRIMARY KEY,
    session_id            char(36)     NOT NULL UNIQUE,
    creation_time         bigint       NOT NULL,
    last_access_time      bigint       NOT NULL,
    max_inactive_interval int          NOT NULL,
    expiry_time           bigint       NOT NULL,
    principal_name        varchar(100)
);
CREATE INDEX spring_session_expiry ON spring_session (expiry_time);
CREATE INDEX spring_session_principal ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id char(36)     NOT NULL REFERENCES spring_session (primary_id) ON DELETE CASCADE,
    attribute_name     varchar(200) NOT NULL,
    attribute_bytes    bytea        NOT NULL,
    PRIMARY KEY (session_primary_id, attribute_name)
);

-- ---------------------------------------------------------------- projects (tenant roots)

CREATE TABLE projects (
    id         uuid        PRIMARY KEY,
    slug       text        NOT NULL UNIQUE,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE project_members (
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id         uuid        NOT NULL,
    account_id uuid        NOT NULL REFERENCES admin_accounts (id) ON DELETE CASCADE,
    role       text        NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, account_id)
);
-- "Which projects am I in?" is asked by account; this is the one tenant index keyed otherwise.
CREATE INDEX project_members_account ON project_members (account_id, project_id);

-- The key itself embeds the project id, so a key is found by (project_id, key_hash) without a
-- global index on the hash.
CREATE TABLE api_keys (
    project_id   uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id           uuid        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('client', 'server')),
    name         text,
    prefix       text        NOT NULL,
    key_hash     bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, key_hash)
);

-- ---------------------------------------------------------------- app users

CREATE TABLE app_users (
    project_id        uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                text        NOT NULL,
    email             text        NOT NULL,
    password_hash     text,
    data              jsonb       NOT NULL DEFAULT '{}',
    roles             text[]      NOT NULL DEFAULT '{}',
    disabled          boolean     NOT NULL DEFAULT false,
    email_verified_at timestamptz,
    -- bumped on password change or "log out everywhere": tokens issued before are void
    token_generation  int         NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, id)
);
CREATE UNIQUE INDEX app_users_email_key ON app_users (project_id, lower(email));
CREATE INDEX app_users_created ON app_users (project_id, created_at);

-- Session tokens, email-verification and password-reset tokens, all stored hashed.
CREATE TABLE app_user_tokens (
    project_id   uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    token_hash   bytea       NOT NULL,
    user_id      text        NOT NULL,
    purpose      text        NOT NULL CHECK (purpose IN ('session', 'verify_email', 'reset_password')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    PRIMARY KEY (project_id, token_hash),
    FOREIGN KEY (project_id, user_id) REFERENCES app_users (project_id, id) ON DELETE CASCADE
);
CREATE INDEX app_user_tokens_user ON app_user_tokens (project_id, user_id);

-- ---------------------------------------------------------------- collections and documents

CREATE TABLE collections (
    project_id  uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    -- {"create": [roles], "read": [...], "update": [...], "delete": [...], "owner_only": bool}
    permissions jsonb       NOT NULL DEFAULT '{}',
    -- {"author": {"collection": "users" | "appuser"}, ...}
    relations   jsonb       NOT NULL DEFAULT '{}',
    -- ["views", "published_at", ...]: fields given btree expression indexes
    indexes     jsonb       NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name)
);

CREATE TABLE documents (
    project_id uuid        NOT NULL,
    collection text        NOT NULL,
    id         text        NOT NULL,
    data       jsonb       NOT NULL,
    owner_id   text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, collection, id),
    FOREIGN KEY (project_id, collection) REFERENCES collections (project_id, name) ON DELETE CASCADE
);
CREATE INDEX documents_created ON documents (project_id, collection, created_at);
-- Containment (data @> '{...}') for equality filters; GIN cannot lead with project_id without
-- btree_gin, and every query filters project_id through the btree indexes above as well.
CREATE INDEX documents_data ON documents USING gin (data jsonb_path_ops);

-- ---------------------------------------------------------------- templates and static files

CREATE TABLE templates (
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    version    int         NOT NULL DEFAULT 1,
    content    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name)
);

-- Every saved content of a template, newest version = templates.version.
CREATE TABLE template_versions (
    project_id uuid        NOT NULL,
    name       text        NOT NULL,
    version    int         NOT NULL,
    content    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name, version),
    FOREIGN KEY (project_id, name) REFERENCES templates (project_id, name) ON DELETE CASCADE
);

CREATE TABLE static_files (
    project_id   uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    path         text        NOT NULL,
    content_type text        NOT NULL,
    size         bigint      NOT NULL,
    sha256       bytea       NOT NULL,
    content      bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, path)
);

-- ---------------------------------------------------------------- secrets and variables

CREATE TABLE secrets (
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    -- AES-GCM: 12-byte nonce, ciphertext with its tag, and the id of the master key used
    nonce      bytea       NOT NULL,
    ciphertext bytea       NOT NULL,
    key_id     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name)
);

CREATE TABLE variables (
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    value      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name)
);

-- ---------------------------------------------------------------- email

CREATE TABLE email_templates (
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id         text        NOT NULL,
    subject    text        NOT NULL,
    html       text        NOT NULL,
    text       text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, id)
);

-- A project's own SMTP server; without a row the server-wide default is used.
CREATE TABLE mail_settings (
    project_id      uuid        PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    host            text        NOT NULL,
    port            int         NOT NULL,
    security        text        NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
    username        text,
    -- the password is a project secret (encrypted); this names it
    password_secret text,
    from_address    text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Written in the caller's transaction; a sender claims due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE mail_outbox (
    project_id      uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id              uuid        NOT NULL,
    to_addresses    text[]      NOT NULL,
    cc_addresses    text[]      NOT NULL DEFAULT '{}',
    bcc_addresses   text[]      NOT NULL DEFAULT '{}',
    reply_to        text,
    subject         text        NOT NULL,
    html            text,
    text            text,
    template_id     text,
    status          text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    execution_id    uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    PRIMARY KEY (project_id, id)
);
CREATE INDEX mail_outbox_log ON mail_outbox (project_id, created_at);
-- The sender's work queue spans projects: only undelivered mail is indexed.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status IN ('queued', 'sending');

-- ---------------------------------------------------------------- functions

CREATE TABLE functions (
    project_id       uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id               uuid        NOT NULL,
    name             text        NOT NULL,
    -- main | handle | wsgi | event | http_handler; null = detected from the source
    style            text,
    handler          text,
    timeout_s        int         NOT NULL DEFAULT 30 CHECK (timeout_s BETWEEN 1 AND 900),
    require_auth     boolean     NOT NULL DEFAULT false,
    enabled          boolean     NOT NULL DEFAULT true,
    deployed_version int,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, name)
);

-- /functions/{function_id}/... names no project: this maps the id to it.
CREATE TABLE function_directory (
    function_id uuid PRIMARY KEY,
    project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX function_directory_project ON function_directory (project_id);

-- Immutable: every code change is a new version.
CREATE TABLE function_versions (
    project_id  uuid        NOT NULL,
    function_id uuid        NOT NULL,
    version     int         NOT NULL,
    code        text        NOT NULL,
    -- helper modules beside the entry file: {"helpers.py": "..."}
    modules     jsonb       NOT NULL DEFAULT '{}',
    style       text        NOT NULL,
    handler     text,
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, function_id, version),
    FOREIGN KEY (project_id, function_id) REFERENCES functions (project_id, id) ON DELETE CASCADE
);

-- File-system routes of a project's site (cloud-functions/...).
CREATE TABLE routes (
    project_id  uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    pattern     text        NOT NULL,
    function_id uuid        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('static', 'param', 'catchall')),
    source_path text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, pattern),
    FOREIGN KEY (project_id, function_id) REFERENCES functions (project_id, id) ON DELETE CASCADE
);

CREATE TABLE executions (
    project_id  uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id          uuid        NOT NULL,
    function_id uuid        NOT NULL,
    version     int,
    trigger     text        NOT NULL CHECK (trigger IN ('http', 'async', 'test', 'route')),
    status      text        NOT NULL CHECK (status IN ('queued', 'running', 'success', 'error', 'timeout')),
    http_status int,
    -- for async calls: the request to replay, kept until the call has run
    request     jsonb,
    result      jsonb,
    output      text,
    logs        text,
    error       text,
    traceback   text,
    duration_ms double precision,
    created_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (project_id, id)
);
CREATE INDEX executions_by_function ON executions (project_id, function_id, created_at DESC);
-- Retention prunes by age across projects; rows arrive in time order, so a BRIN index is
-- enough and costs next to nothing on the write path (thousands of records a second).
CREATE INDEX executions_age ON executions USING brin (created_at);
-- Async calls waiting to run, across projects (survive a restart).
CREATE INDEX executions_queued ON executions (created_at) WHERE status IN ('queued', 'running');
