package io.cococloud.project;

import java.util.UUID;

/** Published after an instance administrator changed a project's share of the runtime. */
public record ProjectLimitsChanged(UUID projectId) {
}
