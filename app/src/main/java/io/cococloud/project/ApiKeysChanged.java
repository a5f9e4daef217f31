package io.cococloud.project;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** Published once a project's API key was created or revoked: every node forgets the keys it had resolved for it, so a revoked key stops working everywhere. */
record ApiKeysChanged(UUID projectId) implements ClusterEvent {
}
