-- A version may be several files (the entry file's source in code, the others in modules): it records which
-- file holds the entry point and the entry point's name, as resolved at deploy. Stored rather than derived on
-- load: the default rules (handler setting, index.py, the function's name) could otherwise give another answer
-- after a rename, and loading a version must not need the checker.
ALTER TABLE function_versions ADD COLUMN entry_file text, ADD COLUMN entry_name text;

-- Every version so far is one file named after its function, with the entry point its style implies.
UPDATE function_versions v
SET entry_file = f.name || '.py',
    entry_name = CASE v.style WHEN 'main' THEN 'main' WHEN 'handle' THEN 'handle' ELSE 'handler' END
FROM functions f
WHERE f.project_id = v.project_id AND f.id = v.function_id;

ALTER TABLE function_versions ALTER COLUMN entry_file SET NOT NULL, ALTER COLUMN entry_name SET NOT NULL;
