package io.cococloud.secret;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** Published once a project's variables changed: every node reads them anew on the next call. */
record VariablesChanged(UUID projectId) implements ClusterEvent {
}
