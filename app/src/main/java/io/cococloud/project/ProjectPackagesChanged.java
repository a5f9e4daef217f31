package io.cococloud.project;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/**
 * Published after a project's package layer changed (a distribution uploaded, replaced or deleted), once the change
 * is committed: what caches the project's functions, its site or its loaded modules drops them, so that the next
 * call sees the layer as it is now, without a redeploy. Lives here, beside {@link ProjectDeleted}, because the
 * runtime listens to it and must not depend on the feature that publishes it.
 */
public record ProjectPackagesChanged(UUID projectId) implements ClusterEvent {
}
