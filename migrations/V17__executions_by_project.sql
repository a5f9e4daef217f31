-- The console lists a whole project's executions, newest first, a page at a time (GET /projects/{p}/executions):
-- without this index PostgreSQL reads every retained row of the project and sorts them for each page (the other
-- indexes are per function, or by age across projects).
CREATE INDEX executions_by_project ON executions (project_id, created_at DESC);
