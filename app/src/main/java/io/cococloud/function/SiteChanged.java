package io.cococloud.function;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** Published once a project's live site changed (deployed, rolled back, taken down): every node drops its cached copy. */
record SiteChanged(UUID projectId) implements ClusterEvent {
}
