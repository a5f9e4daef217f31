package io.cococloud.realtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.cococloud.data.DocumentEvent;
import io.cococloud.data.DocumentHooks;

/**
 * Document writes on a collection that a socket of any node watches: each becomes an event row of the topic
 * {@code collection:<name>}, written in the write's transaction. Writes on other collections cost one lookup in
 * memory ({@link LiveConnections#watched}).
 */
@Component
class CollectionChanges implements DocumentHooks {

    private final LiveConnections connections;
    private final RealtimeEvents events;

    CollectionChanges(LiveConnections connections, RealtimeEvents events) {
        this.connections = connections;
        this.events = events;
    }

    @Override
    public boolean watches(UUID projectId, String collection) {
        return connections.watched(projectId, collection);
    }

    @Override
    public Map<String, Object> before(DocumentEvent event) {
        return event.data();
    }

    @Override
    public void after(DocumentEvent event) {
        if (!connections.watched(event.projectId(), event.collection())) {
            return; // watched by a hook, not by a socket
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.type().word());
        body.put("document_id", event.documentId());
        body.put("data", event.data());
        body.put("old_data", event.oldData());
        events.publish(event.projectId(), Subscription.topic(Subscription.Kind.COLLECTION, event.collection()), body);
    }
}
