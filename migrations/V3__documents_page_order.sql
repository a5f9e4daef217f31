-- Pages of documents are ordered by created_at with the id as tie-breaker (a batch shares one
-- created_at), newest first by default. With the id in the index, a page is read straight off it
-- in either direction instead of sorting every matching document.
CREATE INDEX documents_page_order ON documents (project_id, collection, created_at, id);
DROP INDEX documents_created;
