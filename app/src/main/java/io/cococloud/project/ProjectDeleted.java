package io.cococloud.project;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/**
 * Published after a project's rows are gone, for the parts that keep something outside its rows (database
 * indexes, warm runtimes, caches).
 */
public record ProjectDeleted(UUID projectId) implements ClusterEvent {
}
