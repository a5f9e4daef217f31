-- Issue 12: a project-level package layer, shared by the project's functions and its site. One row per
-- distribution (pure Python, as pip install -t leaves it), by its PEP 503 name: a new upload of a distribution
-- replaces the row and its files. top_level: the importable names it installs (folders and modules at the
-- install root), which decide whether a version that vendors its own copy leaves the layer's out.
CREATE TABLE project_packages (
    project_id  uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    version     text        NOT NULL,
    top_level   text[]      NOT NULL,
    file_count  int         NOT NULL,
    size_bytes  bigint      NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    uploaded_by uuid,
    PRIMARY KEY (project_id, name)
);

-- Every file of a distribution, by its path from the install root ("greeter/__init__.py",
-- "greeter-1.0.dist-info/METADATA"); functions see it under python_packages/. A path belongs to one distribution
-- of the project: the primary key keeps two from writing the same file.
CREATE TABLE project_package_files (
    project_id uuid  NOT NULL,
    package    text  NOT NULL,
    path       text  NOT NULL,
    content    bytea NOT NULL,
    PRIMARY KEY (project_id, path),
    FOREIGN KEY (project_id, package) REFERENCES project_packages (project_id, name) ON DELETE CASCADE
);
CREATE INDEX project_package_files_package ON project_package_files (project_id, package);
