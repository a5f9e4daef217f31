package io.cococloud.data;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A write of one document, as hooks see it (docs/hooks.md).
 *
 * @param type      create, update (a merge or a replacement) or delete
 * @param data      the document's fields as stored (or, before the write, as they are about to be); for a delete
 *                  the fields it had
 * @param oldData   the fields before the write (update, delete); null for a create
 * @param writer    the function whose {@code db} call made the write, or null (client or admin API): a hook is not
 *                  run for its own function's writes
 */
public record DocumentEvent(Type type, UUID projectId, String collection, String documentId,
        Map<String, Object> data, Map<String, Object> oldData, Instant at, UUID writer) {

    public enum Type {
        CREATE, UPDATE, DELETE;

        /** "create", "update", "delete". */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The same write with other fields to store (a before-hook changed them). */
    public DocumentEvent withData(Map<String, Object> changed) {
        return new DocumentEvent(type, projectId, collection, documentId, changed, oldData, at, writer);
    }
}
