package io.cococloud.realtime;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** A node began or stopped watching one of the project's collections: every node reads the project's watches again. */
record RealtimeWatchesChanged(UUID projectId) implements ClusterEvent {
}
