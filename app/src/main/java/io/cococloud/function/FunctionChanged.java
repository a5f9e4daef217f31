package io.cococloud.function;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** Published once a function's deployed version or settings changed, or it was deleted: every node drops it from its registry. */
record FunctionChanged(UUID functionId) implements ClusterEvent {
}
