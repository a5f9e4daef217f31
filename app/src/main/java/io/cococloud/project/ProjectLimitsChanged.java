package io.cococloud.project;

import java.util.UUID;

import io.cococloud.cluster.ClusterEvent;

/** Published after an instance administrator changed a project's share of the runtime. */
public record ProjectLimitsChanged(UUID projectId) implements ClusterEvent {
}
