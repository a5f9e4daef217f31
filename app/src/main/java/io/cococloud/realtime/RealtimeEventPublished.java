package io.cococloud.realtime;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/**
 * An event row was written for a topic ({@code collection:<name>}, {@code broadcast}, {@code room:<id>}): every
 * node with subscribers of that topic reads it by id and delivers it. Ids only: the row holds the body.
 */
record RealtimeEventPublished(UUID projectId, String topic, long eventId) implements ClusterEvent {
}
