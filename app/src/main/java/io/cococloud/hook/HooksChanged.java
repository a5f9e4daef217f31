package io.cococloud.hook;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** A project's hooks changed: every node reads them again. */
record HooksChanged(UUID projectId) implements ClusterEvent {
}
