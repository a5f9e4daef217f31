package io.cococloud.project;

import java.time.Instant;
import java.util.UUID;


/** A console account's membership, with its role, in one project. */
class ProjectMember {

    private UUID projectId;
    private UUID id;
    private UUID accountId;
    private Role role;
    private Instant createdAt;

    /** A stored row. */
    ProjectMember(UUID projectId, UUID id, UUID accountId, Role role, Instant createdAt) {
        this.projectId = projectId;
        this.id = id;
        this.accountId = accountId;
        this.role = role;
        this.createdAt = createdAt;
    }

    ProjectMember(UUID projectId, UUID accountId, Role role) {
        this.projectId = projectId;
        this.id = UUID.randomUUID();
        this.accountId = accountId;
        this.role = role;
        this.createdAt = Instant.now();
    }

    UUID projectId() { return projectId; }
    UUID id() { return id; }
    UUID accountId() { return accountId; }
    Role role() { return role; }
    Instant createdAt() { return createdAt; }

    void changeRole(Role newRole) {
        role = newRole;
    }
}
