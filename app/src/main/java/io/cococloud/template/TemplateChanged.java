package io.cococloud.template;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** Published once a stored template was saved, renamed away or deleted: every node forgets the name. */
record TemplateChanged(UUID projectId, String name) implements ClusterEvent {
}
