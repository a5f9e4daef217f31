-- A collection may be renamed (PATCH /collections/{c} {"name": ...}; docs/client-api.md#collections): the rows that
-- name it through a foreign key follow the new name in the rename's own UPDATE. NOT VALID then VALIDATE: the rows
-- already met the same key, and VALIDATE scans documents without blocking writes to it.
ALTER TABLE documents DROP CONSTRAINT documents_project_id_collection_fkey,
    ADD CONSTRAINT documents_project_id_collection_fkey FOREIGN KEY (project_id, collection)
        REFERENCES collections (project_id, name) ON DELETE CASCADE ON UPDATE CASCADE NOT VALID;
ALTER TABLE documents VALIDATE CONSTRAINT documents_project_id_collection_fkey;

ALTER TABLE collection_webhooks DROP CONSTRAINT collection_webhooks_project_id_collection_fkey,
    ADD CONSTRAINT collection_webhooks_project_id_collection_fkey FOREIGN KEY (project_id, collection)
        REFERENCES collections (project_id, name) ON DELETE CASCADE ON UPDATE CASCADE NOT VALID;
ALTER TABLE collection_webhooks VALIDATE CONSTRAINT collection_webhooks_project_id_collection_fkey;
