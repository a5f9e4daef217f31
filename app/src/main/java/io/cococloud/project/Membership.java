package io.cococloud.project;

import java.util.UUID;

/**
 * The caller's project and role in it. Given to an admin API endpoint only once checked (see {@link ProjectRole});
 * the role is null only for an instance administrator let in by {@link ProjectRole#orInstanceAdmin()}.
 */
public record Membership(Project project, Role role) {

    public UUID projectId() {
        return project.id();
    }
}
