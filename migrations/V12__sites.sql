-- Sites (issue 11 §3): a project's zip of cloud-functions/ routes and static frontend files, deployed as immutable
-- versions. The V1 table "routes" pointed each route at a row of "functions"; a site's route is no function of
-- its own (its code is the version's cloud-functions/ tree), so it goes, unused.
DROP TABLE IF EXISTS routes;

-- One row per project that ever deployed a site: which version is live (null: taken down). Deploying and rolling
-- back are one UPDATE of deployed_version, so a site changes in one step.
CREATE TABLE sites (
    project_id       uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    deployed_version int,
    last_version     int         NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id)
);

CREATE TABLE site_versions (
    project_id  uuid        NOT NULL,
    version     int         NOT NULL,
    file_count  int         NOT NULL,
    size_bytes  bigint      NOT NULL,
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, version),
    FOREIGN KEY (project_id) REFERENCES sites (project_id) ON DELETE CASCADE
);

-- Every file of a version: the cloud-functions/ tree (kind 'code', path within cloud-functions/) and the static
-- files (kind 'static', path from the zip's root).
CREATE TABLE site_files (
    project_id   uuid        NOT NULL,
    version      int         NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('code', 'static')),
    path         text        NOT NULL,
    content      bytea       NOT NULL,
    content_type text        NOT NULL,
    sha256       bytea       NOT NULL,
    PRIMARY KEY (project_id, version, kind, path),
    FOREIGN KEY (project_id, version) REFERENCES site_versions (project_id, version) ON DELETE CASCADE
);

-- The routes of a version, as the deploy's check found them (compiling every file again on each load would cost
-- seconds of Python).
CREATE TABLE site_routes (
    project_id  uuid        NOT NULL,
    version     int         NOT NULL,
    file        text        NOT NULL,
    style       text        NOT NULL,
    entry_name  text        NOT NULL,
    PRIMARY KEY (project_id, version, file),
    FOREIGN KEY (project_id, version) REFERENCES site_versions (project_id, version) ON DELETE CASCADE
);
