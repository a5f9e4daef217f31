package io.cococloud.hook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cococloud.data.DocumentEvent;

/**
 * A function subscribed to document events: of one collection, or of every one (collection null).
 *
 * @param timing "after" (run later, from the outbox) or "before" (run in the write, may change or refuse it)
 * @param events documents.create, documents.update, documents.delete (and, for after-hooks, users.*)
 */
record Hook(UUID id, @JsonProperty("function_id") UUID functionId, String collection, String timing,
        List<String> events, @JsonProperty("created_at") Instant createdAt) {

    static final String BEFORE = "before";
    static final String AFTER = "after";

    /** The name an event has in a subscription: documents.create, documents.update, documents.delete. */
    static String eventName(DocumentEvent.Type type) {
        return "documents." + type.word();
    }

    boolean watches(String collectionName) {
        return collection == null || collection.equals(collectionName);
    }

    /** Whether writes on the collection concern this hook (a hook on users.* events only watches no documents). */
    boolean watchesDocuments(String collectionName) {
        return watches(collectionName) && events.stream().anyMatch(e -> e.startsWith("documents."));
    }

    boolean fires(String timingWanted, DocumentEvent event) {
        return timing.equals(timingWanted) && watches(event.collection()) && events.contains(eventName(event.type()))
                && !functionId.equals(event.writer()); // a hook's own writes do not run it again
    }
}
