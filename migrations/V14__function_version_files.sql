-- Issue 12: a function's upload may carry vendored pure-Python packages and data files (templates, images,
-- package metadata), which are bytes, not text. The version's Python sources and its own text files stay in
-- function_versions (code, modules: what diffs and the runtime's loader read); every other file of the version is
-- a row here, by its path from the code root. One row per file rather than one zip blob per version: the admin
-- API lists paths and sizes with SQL, and loading a deployed version is still one query, once per deploy (the
-- function registry caches it).
CREATE TABLE function_version_files (
    project_id  uuid  NOT NULL,
    function_id uuid  NOT NULL,
    version     int   NOT NULL,
    path        text  NOT NULL,
    content     bytea NOT NULL,
    PRIMARY KEY (project_id, function_id, version, path),
    FOREIGN KEY (project_id, function_id, version) REFERENCES function_versions (project_id, function_id, version)
        ON DELETE CASCADE
);
