package io.cococloud.data;

import java.util.List;
import java.util.UUID;

/**
 * Published when documents are deleted, for what is kept beside them (a document's uploaded files).
 *
 * @param ids the documents' ids, or null when the whole collection went
 */
public record DocumentsDeleted(UUID projectId, String collection, List<String> ids) {
}
