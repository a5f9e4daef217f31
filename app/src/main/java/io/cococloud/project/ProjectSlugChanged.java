package io.cococloud.project;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** Published once a project's slug changed: every node forgets the slug it had cached for it. */
record ProjectSlugChanged(UUID projectId) implements ClusterEvent {
}
