package io.cococloud.data;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/**
 * Published inside the transaction that renamed a collection, so that modules which name collections in rows of
 * their own (hooks, webhook deliveries) move them in the same transaction, and, once committed, every other node
 * drops what it cached under either name.
 */
public record CollectionRenamed(UUID projectId, String from, String to) implements ClusterEvent {
}
