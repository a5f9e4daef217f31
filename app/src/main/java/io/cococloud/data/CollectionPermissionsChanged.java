package io.cococloud.data;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** Published once a collection's permissions changed or the collection was deleted: every node forgets its cached rules. */
record CollectionPermissionsChanged(UUID projectId, String collection) implements ClusterEvent {
}
