package io.cococloud.project;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** Published once a project's allowed origins changed: every node reads them anew. */
record ProjectCorsChanged(UUID projectId) implements ClusterEvent {
}
