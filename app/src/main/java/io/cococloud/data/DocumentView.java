package io.cococloud.data;

import java.util.Map;

/**
 * A document as the client API shows it: {@code {id, collection, data, created_at, updated_at}} (the JSON names
 * are snake_case, as everywhere). The times are the stored instants' ISO-8601 text, as the SDK reads them.
 */
public record DocumentView(String id, String collection, Map<String, Object> data, String createdAt,
        String updatedAt) {

    public static DocumentView of(String collection, Document document) {
        return new DocumentView(document.id(), collection, document.data(), document.createdAt().toString(),
                document.updatedAt().toString());
    }
}
