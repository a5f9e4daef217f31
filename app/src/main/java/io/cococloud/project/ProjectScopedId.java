package io.cococloud.project;

import java.io.Serializable;
import java.util.UUID;

/** The primary key of a row that belongs to a project: (project_id, id), project first. */
record ProjectScopedId(UUID projectId, UUID id) implements Serializable {
}
