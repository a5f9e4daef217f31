package io.cococloud.data;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/**
 * Published once a collection's settings (permissions, relations) changed or the collection was made, renamed or
 * deleted: every node forgets its cached rules and relations of it.
 */
record CollectionPermissionsChanged(UUID projectId, String collection) implements ClusterEvent {
}
