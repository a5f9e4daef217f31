package io.cococloud.data;

import java.util.Map;

/**
 * A document as the client API shows it: {@code {id, collection, collection_id, data, created_at, updated_at}} (the
 * JSON names are snake_case, as everywhere). The times are the stored instants' ISO-8601 text, as the SDKs read them.
 *
 * <p>{@code collection} is an object, not the bare name, because both official SDKs declare it as their
 * {@code Collection} type, and the Flutter SDK's {@code Document.fromJson} stores it in a
 * {@code Map<String, dynamic>} field: a string there is a Dart type error, and no document would parse.
 */
public record DocumentView(String id, CollectionRef collection, String collectionId, Map<String, Object> data,
        String createdAt, String updatedAt) {

    /** The collection a document belongs to; a collection's id is its name. */
    public record CollectionRef(String id, String name) {
    }

    public static DocumentView of(String collection, Document document) {
        return new DocumentView(document.id(), new CollectionRef(collection, collection), collection, document.data(),
                document.createdAt().toString(), document.updatedAt().toString());
    }
}
