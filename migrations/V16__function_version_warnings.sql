-- What a version's own code uses that the sandbox denies (sqlite3, threads, processes, sockets...), found by the
-- deploy-time check: the deploy goes on, and its answer and the function's view say so (issue 12, honest limits).
ALTER TABLE function_versions ADD COLUMN sandbox_warnings text[] NOT NULL DEFAULT '{}';
